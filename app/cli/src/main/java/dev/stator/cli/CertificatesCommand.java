package dev.stator.cli;

import dev.stator.driver.api.CertificateInfo;
import dev.stator.driver.api.CertificateTrust;
import dev.stator.driver.api.DriverProvider;
import dev.stator.driver.api.DriverRegistry;
import dev.stator.runtime.DataDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code stator certificates}: the certificates of secure protocols (OPC UA) kept in the data folder: list them, trust
 * a server certificate that was refused, remove one.
 */
@Command(name = "certificates", mixinStandardHelpOptions = true,
        description = "List, trust and remove the certificates of secure connections (OPC UA).",
        subcommands = {CertificatesCommand.ListCertificates.class, CertificatesCommand.Trust.class,
                CertificatesCommand.Remove.class})
final class CertificatesCommand {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    /** Every driver's certificate store in {@code data}. */
    static List<CertificateTrust> stores(Path data) throws CliException {
        List<CertificateTrust> stores = new ArrayList<>();
        DriverRegistry drivers = DriverRegistry.load(CertificatesCommand.class.getClassLoader());
        Set<DriverProvider> seen = new HashSet<>();
        for (String protocol : drivers.protocols()) {
            DriverProvider p = drivers.provider(protocol);
            if (seen.add(p)) {
                try {
                    p.certificates(data).ifPresent(stores::add);
                } catch (IOException e) {
                    throw new CliException(CliException.FAILURE, e.getMessage());
                }
            }
        }
        return stores;
    }

    static String line(CertificateInfo c) {
        boolean valid = c.isValidAt(Instant.now());
        return c.thumbprint() + "  " + c.subject() + "\n      issuer " + c.issuer() + ", valid " + DATE.format(
                c.notBefore()) + " to " + DATE.format(c.notAfter()) + (valid ? "" : "  ✕ NOT VALID NOW");
    }

    /** {@code --data}, shared. */
    static final class DataOption {
        @Option(names = "--data", paramLabel = "DIR", description = "Data folder (default: $STATOR_DATA, else "
                + "~/.local/share/stator).")
        Path data;

        Path get() {
            return data != null ? data : DataDirectory.defaultLocation();
        }
    }

    /** {@code stator certificates list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Show own, trusted and refused "
            + "certificates with thumbprint, subject, issuer and validity.")
    static final class ListCertificates implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        DataOption data;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            for (CertificateTrust store : stores(data.get())) {
                out.println(store.protocol() + " certificates in " + data.get());
                out.println("  this workstation:");
                out.println("    " + line(store.own()));
                out.println("  trusted servers:" + (store.trusted().isEmpty() ? " none" : ""));
                for (CertificateInfo c : store.trusted()) {
                    out.println("    " + line(c));
                }
                out.println("  refused (not trusted yet):" + (store.rejected().isEmpty() ? " none" : ""));
                for (CertificateInfo c : store.rejected()) {
                    out.println("    " + line(c));
                }
            }
            out.flush();
            return 0;
        }
    }

    /** {@code stator certificates trust THUMBPRINT}. */
    @Command(name = "trust", mixinStandardHelpOptions = true, description = {"Trust a refused server certificate, "
            + "after showing what it is.", "THUMBPRINT is the whole SHA-1 thumbprint or its first digits (at least 4) "
            + "as `stator certificates list` shows them."})
    static final class Trust implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        DataOption data;

        @Parameters(paramLabel = "THUMBPRINT")
        String thumbprint;

        @Option(names = "--yes", description = "Trust without asking.")
        boolean yes;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            for (CertificateTrust store : stores(data.get())) {
                String wanted = thumbprint.replaceAll("[\\s:]", "").toUpperCase(Locale.ROOT);
                List<CertificateInfo> matches = store.rejected().stream()
                        .filter(c -> c.thumbprint().toUpperCase(Locale.ROOT).startsWith(wanted)).toList();
                if (matches.size() != 1 || wanted.length() < 4) {
                    continue;
                }
                CertificateInfo c = matches.get(0);
                out.println("  " + line(c));
                out.flush();
                if (!yes && !Prompt.confirm("Trust this " + store.protocol() + " server certificate")) {
                    throw new CliException(CliException.BAD_INPUT, "not trusted: " + c.thumbprint()
                            + " was not confirmed (answer y at the prompt, or add --yes)");
                }
                CertificateInfo trusted = store.trust(c.thumbprint());
                out.println("trusted " + trusted.thumbprint() + " (" + trusted.subject() + "): the next connection "
                        + "attempt uses it");
                out.flush();
                return 0;
            }
            throw new CliException(CliException.BAD_INPUT, "no single refused certificate has the thumbprint '"
                    + thumbprint + "' (see stator certificates list)");
        }
    }

    /** {@code stator certificates remove THUMBPRINT}. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a trusted or refused certificate: that server is no longer trusted.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        DataOption data;

        @Parameters(paramLabel = "THUMBPRINT")
        String thumbprint;

        @Override
        public Integer call() throws Exception {
            for (CertificateTrust store : stores(data.get())) {
                try {
                    if (store.remove(thumbprint)) {
                        spec.commandLine().getOut().println("removed " + thumbprint);
                        spec.commandLine().getOut().flush();
                        return 0;
                    }
                } catch (IOException e) {
                    throw new CliException(CliException.BAD_INPUT, e.getMessage());
                }
            }
            throw new CliException(CliException.BAD_INPUT, "no certificate has the thumbprint '" + thumbprint + "'");
        }
    }
}
