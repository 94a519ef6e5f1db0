package dev.stator.cli;

import dev.stator.simulator.PlantSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An engineer mapping a new OPC UA server: browse it, see its certificate refused, check and trust it, browse again
 * over a signed and encrypted channel. Against the simulator's real OPC UA server, with real certificate validation.
 */
class OpcUaCommandTest {

    @TempDir
    Path data;

    private PlantSimulator simulator;

    @BeforeEach
    void start() throws Exception {
        simulator = PlantSimulator.builder().bindAddress(InetAddress.getLoopbackAddress())
                .modbusPort(EndToEndTest.freePort()).opcUaPort(EndToEndTest.freePort())
                .opcUaPkiDirectory(data.resolve("simulator-pki")).build();
        simulator.start();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void browseWithoutSecurityShowsTheTreeWithReadyAddresses() {
        CliRun run = CliRun.of("opcua", "browse", "--url", simulator.opcUaEndpointUrl(), "--security-policy", "None",
                "--node", "nsu=urn:stator:simulator:pumping-station;s=PumpingStation", "--depth", "2",
                "--data", data.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("LT-101  [Variable Double r-]  nsu=urn:stator:simulator:pumping-station;"
                + "s=LT-101").contains("LIC-101.SP  [Variable Double rw]").contains("+- P-101  [Object]");
    }

    @Test
    void anUntrustedServerIsRefusedUntilItsCertificateIsCheckedAndTrusted() throws Exception {
        CliRun refused = CliRun.of("opcua", "browse", "--url", simulator.opcUaEndpointUrl(), "--depth", "1",
                "--data", data.toString());
        assertThat(refused.exitCode()).isEqualTo(CliException.FAILURE);
        // The server does not know this workstation yet either: trust its certificate on the server first.
        Path own = data.resolve("pki/opcua/own/certs/stator-workstation.der");
        assertThat(own).exists();
        try (InputStream in = Files.newInputStream(own)) {
            simulator.trustOpcUaClient((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        CliRun untrusted = CliRun.of("opcua", "browse", "--url", simulator.opcUaEndpointUrl(), "--depth", "1",
                "--data", data.toString());
        assertThat(untrusted.exitCode()).isEqualTo(CliException.FAILURE);
        assertThat(untrusted.err()).contains("Bad_CertificateUntrusted").contains("stator certificates trust");

        CliRun list = CliRun.of("certificates", "list", "--data", data.toString());
        assertThat(list.exitCode()).as(list.err()).isZero();
        String refusedSection = list.out().substring(list.out().indexOf("refused (not trusted yet):"));
        assertThat(refusedSection).contains("Stator plant simulator");
        String thumbprint = refusedSection.lines().skip(1).findFirst().orElseThrow().trim().split(" ")[0];

        CliRun notConfirmed = CliRun.of("certificates", "trust", thumbprint.substring(0, 8), "--data",
                data.toString());
        assertThat(notConfirmed.exitCode()).isEqualTo(CliException.BAD_INPUT);
        assertThat(notConfirmed.out()).as("the certificate is shown before the question").contains(thumbprint);
        CliRun trusted = CliRun.of("certificates", "trust", thumbprint.substring(0, 8), "--yes", "--data",
                data.toString());
        assertThat(trusted.exitCode()).as(trusted.err()).isZero();
        assertThat(trusted.out()).contains("trusted " + thumbprint);

        CliRun browse = CliRun.of("opcua", "browse", "--url", simulator.opcUaEndpointUrl(), "--depth", "1",
                "--data", data.toString());
        assertThat(browse.exitCode()).as(browse.err()).isZero();
        assertThat(browse.out()).startsWith("Objects  [Object]  i=85");
    }
}
