package dev.stator.cli;

import dev.stator.console.ConsoleApplication;
import dev.stator.driver.api.DriverRegistry;
import dev.stator.historian.HistoryException;
import dev.stator.runtime.ValueFormat;
import dev.stator.runtime.Workstation;
import dev.stator.runtime.project.Project;
import dev.stator.runtime.project.ProjectException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code stator run}: starts a project with the console, or headless. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start a project: acquire from its devices, record history, and show the console "
                + "(or run headless).")
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ProjectOptions options;

    @Option(names = "--headless", description = "Run without the console (for servers and scripts).")
    boolean headless;

    @Option(names = "--duration", paramLabel = "TIME", converter = Converters.DurationConverter.class,
            description = "Stop by itself after this long, e.g. 30s, 10m (default: run until closed or Ctrl+C).")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        Path data = options.dataDirectory();
        // Before the first logger exists: the log file lives in the data folder.
        System.setProperty("stator.log.dir", data.resolve("logs").toString());
        DriverRegistry drivers = DriverRegistry.load(RunCommand.class.getClassLoader());
        Project project = options.load(drivers);
        for (String warning : project.warnings()) {
            spec.commandLine().getErr().println("stator: warning: " + warning);
        }
        spec.commandLine().getErr().flush();
        Workstation workstation;
        try {
            workstation = Workstation.start(project, data, drivers, Clock.systemUTC());
        } catch (ProjectException e) {
            throw new CliException(CliException.BAD_INPUT, String.join(System.lineSeparator(), e.problems()));
        } catch (IOException | HistoryException e) {
            throw new CliException(CliException.FAILURE, e.getMessage());
        }
        if (!headless) {
            ConsoleApplication.run(workstation, duration);
            return 0;
        }
        return runHeadless(workstation);
    }

    private int runHeadless(Workstation workstation) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        out.printf(Locale.ROOT, "project '%s' running headless: %s on %s; data in %s%s%n",
                workstation.project().name(), ValueFormat.count(workstation.project().tags().size(), "tag"),
                ValueFormat.count(workstation.project().devices().size(), "device"), workstation.dataDirectory(),
                duration == null ? "; Ctrl+C stops" : "; stopping after " + duration.toMillis() / 1000.0 + " s");
        out.flush();
        Lifetime.run(duration, workstation::close);
        out.printf(Locale.ROOT, "stopped after %.1f s: %,d samples recorded%n", (System.nanoTime() - t0) / 1e9,
                workstation.historian().writtenSamples());
        out.flush();
        return 0;
    }
}
