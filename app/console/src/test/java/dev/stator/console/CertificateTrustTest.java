package dev.stator.console;

import dev.stator.driver.api.DriverRegistry;
import dev.stator.driver.api.Quality;
import dev.stator.driver.api.TagValue;
import dev.stator.runtime.Workstation;
import dev.stator.runtime.project.ProjectLoader;
import dev.stator.simulator.PlantSimulator;
import javafx.application.Platform;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An engineer connecting the workstation to a secure OPC UA server for the first time: the server's certificate is
 * refused, the device view shows why, and the engineer checks and trusts it from the console; values follow without
 * a restart. Real Milo server, real certificate validation.
 */
class CertificateTrustTest extends FxRobot {

    @TempDir
    Path data;

    @TempDir
    Path projectDir;

    private PlantSimulator simulator;
    private Workstation workstation;
    private MainWindow window;

    @AfterEach
    void stop() throws Exception {
        if (window != null) {
            window.stop();
        }
        FxToolkit.cleanupStages();
        if (workstation != null) {
            workstation.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(5, TimeUnit.SECONDS);
    }

    private static void waitUntil(String what, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting until " + what, e);
        }
    }

    @Test
    void aRefusedServerCertificateIsTrustedFromTheConsoleAndValuesFollow() throws Exception {
        simulator = PlantSimulator.builder().bindAddress(InetAddress.getLoopbackAddress())
                .modbusPort(ConsoleTest.freePort()).opcUaPort(ConsoleTest.freePort())
                .opcUaPkiDirectory(data.resolve("simulator-pki")).build();
        simulator.start();
        Files.writeString(projectDir.resolve("project.yaml"), """
                format: 1
                name: Secure station
                scan-groups:
                  - name: fast
                    rate: 250ms
                endpoints:
                  - name: station-opc
                    driver: opcua
                    url: %s
                    keep-alive-interval: 1s
                devices:
                  - name: station-server
                    endpoint: station-opc
                tags:
                  - name: LT-101
                    device: station-server
                    address: nsu=urn:stator:simulator:pumping-station;s=LT-101
                    units: m
                    range: [0, 4]
                """.formatted(simulator.opcUaEndpointUrl()));
        DriverRegistry drivers = DriverRegistry.load(getClass().getClassLoader());
        workstation = Workstation.start(new ProjectLoader(drivers).load(projectDir), data, drivers,
                Clock.systemUTC());

        // The server does not know this workstation yet: its administrator trusts the workstation's certificate.
        Path own = data.resolve("pki/opcua/own/certs/stator-workstation.der");
        waitUntil("the workstation has its certificate", () -> Files.exists(own));
        try (InputStream in = Files.newInputStream(own)) {
            simulator.trustOpcUaClient((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        waitUntil("the server certificate is refused", () -> {
            TagValue v = workstation.value("LT-101");
            return Quality.BAD_CERTIFICATE_UNTRUSTED.sameCodeAs(v.quality());
        });

        FxToolkit.registerPrimaryStage();
        FxToolkit.setupStage(s -> {
            window = new MainWindow(workstation, Platform::runLater);
            s.setScene(window.createScene(1400, 860));
            s.show();
            window.start();
        });
        clickOn("#nav-devices");
        waitUntil("the device view says why", () -> fx(() -> {
            for (javafx.scene.Node n : lookup("#deviceTable").queryAs(TableView.class).lookupAll(".table-cell")) {
                if (n instanceof Labeled l && l.getText() != null && l.getText().contains("is not trusted")) {
                    return true;
                }
            }
            return false;
        }));
        clickOn("#certificatesButton");
        waitUntil("the refused certificate is listed", () -> fx(() ->
                lookup("#certificateTable").queryAs(TableView.class).getItems().size() == 1));
        clickOn(fx(() -> {
            for (javafx.scene.Node n : lookup("#certificateTable").queryAs(TableView.class)
                    .lookupAll(".table-cell")) {
                if (n instanceof Labeled l && l.getText() != null && l.getText().contains("Stator plant simulator")) {
                    return n;
                }
            }
            throw new AssertionError("no row shows the simulator's certificate");
        }));
        clickOn("#trustCertificate");
        clickOn("OK");
        waitUntil("the dialog reports it trusted", () -> fx(() -> lookup("#certificateStatus")
                .queryAs(Labeled.class).getText().startsWith("Trusted")));
        waitUntil("values arrive over the secure channel", () -> workstation.value("LT-101").quality().isGood());
        assertThat(workstation.value("LT-101").value()).isInstanceOf(Double.class);
        assertThat(Files.list(data.resolve("pki/opcua/trusted/certs")).count()).isEqualTo(1);
    }
}
