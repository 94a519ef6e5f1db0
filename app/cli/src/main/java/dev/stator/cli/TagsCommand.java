package dev.stator.cli;

import dev.stator.driver.api.DriverRegistry;
import dev.stator.runtime.project.Project;
import dev.stator.runtime.project.ProjectException;
import dev.stator.runtime.project.TagListCsv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code stator tags}: the project's tag list as CSV, for spreadsheets. */
@Command(name = "tags", mixinStandardHelpOptions = true,
        description = "Import and export the project's tag list as CSV.",
        subcommands = {TagsCommand.Import.class, TagsCommand.Export.class})
final class TagsCommand {

    /** {@code stator tags export}: every tag as CSV on standard output. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Print the project's tags as CSV (name, description, device, address, type, length, "
                    + "units, low, high, decimals, scan-group, writable).")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ProjectOptions options;

        @Override
        public Integer call() throws Exception {
            Project project = options.load(DriverRegistry.load(Export.class.getClassLoader()));
            PrintWriter out = spec.commandLine().getOut();
            TagListCsv.export(project, out);
            out.flush();
            return 0;
        }
    }

    /** {@code stator tags import}: add the tags of a CSV file to project.yaml. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Add the tags of a CSV file to the project's project.yaml, after checking every row.",
                    "Addresses may be in conventional notation (40001 with a type column) and are converted."})
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--project", paramLabel = "DIR", required = true,
                description = "Project folder whose project.yaml receives the tags.")
        Path project;

        @Option(names = "--device", paramLabel = "NAME", description = "Device for rows whose device column is empty.")
        String device;

        @Parameters(paramLabel = "FILE", description = "The CSV tag list, with a header row.")
        Path csv;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(csv)) {
                throw new CliException(CliException.BAD_INPUT, csv + ": no such file");
            }
            int added;
            try {
                added = TagListCsv.importInto(project, csv, DriverRegistry.load(Import.class.getClassLoader()),
                        device);
            } catch (ProjectException e) {
                throw new CliException(CliException.BAD_INPUT, String.join(System.lineSeparator(), e.problems()));
            } catch (IOException e) {
                throw new CliException(CliException.FAILURE, e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("added " + added + (added == 1 ? " tag" : " tags") + " to " + project.resolve(
                    Project.FILE_NAME));
            out.flush();
            return 0;
        }
    }
}
