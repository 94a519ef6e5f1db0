package dev.stator.console;

import dev.stator.driver.api.DriverRegistry;
import dev.stator.runtime.Workstation;
import dev.stator.historian.JournalEntry;
import dev.stator.historian.JournalKind;
import dev.stator.runtime.project.Project;
import dev.stator.runtime.project.ProjectLoader;
import dev.stator.simulator.InitialState;
import dev.stator.simulator.PlantSimulator;
import javafx.application.Platform;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The console on a live plant, headless (Monocle): what an operator sees in the tag browser and device view. */
class ConsoleTest extends FxRobot {

    @TempDir
    Path data;

    @TempDir
    Path projectDir;

    private PlantSimulator simulator;
    private Workstation workstation;
    private MainWindow window;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @BeforeEach
    void start() throws Exception {
        startWith(yaml -> yaml);
    }

    /** Starts the simulator, the workstation on the demo project (changed by {@code edit}) and the window. */
    private void startWith(java.util.function.UnaryOperator<String> edit) throws Exception {
        int port = freePort();
        simulator = PlantSimulator.builder().bindAddress(InetAddress.getLoopbackAddress()).modbusPort(port)
                .opcUaPort(freePort()).opcUaPkiDirectory(data.resolve("simulator-pki"))
                .timeScale(10).initialState(InitialState.DEFAULT.withLevel(1.2)).build(); // level rising
        simulator.start();
        // The demo project, pointed at this simulator instead of starting its own.
        String demo = Files.readString(Path.of("..", "demo-project", "project.yaml"));
        String project = demo.replaceAll("(?m)^simulator:\\n  time-scale: 1\\n", "")
                .replaceAll("host: simulator[^\\n]*", "host: 127.0.0.1\n    port: " + port)
                .replaceAll("url: simulator[^\\n]*", "url: " + simulator.opcUaEndpointUrl());
        Files.writeString(projectDir.resolve("project.yaml"), edit.apply(project));
        DriverRegistry drivers = DriverRegistry.load(getClass().getClassLoader());
        Project p = new ProjectLoader(drivers).load(projectDir);
        workstation = Workstation.start(p, data, drivers, Clock.systemUTC());

        Stage stage = FxToolkit.registerPrimaryStage();
        FxToolkit.setupStage(s -> {
            window = new MainWindow(workstation, Platform::runLater);
            s.setScene(window.createScene(1400, 860));
            s.show();
            window.start();
        });
        assertThat(stage.isShowing()).isTrue();
    }

    @AfterEach
    void stop() throws Exception {
        if (window != null) {
            window.stop();
            window = null;
        }
        FxToolkit.cleanupStages();
        if (workstation != null) {
            workstation.close();
            workstation = null;
        }
        if (simulator != null) {
            simulator.close();
            simulator = null;
        }
    }

    /** The text the value column shows in the row of {@code tag}, read on the FX thread. */
    private Optional<String> shownValue(String tag) throws Exception {
        return shown(tag, "valueColumn");
    }

    /** The text a column shows in the row of {@code tag}, read on the FX thread. */
    private Optional<String> shown(String tag, String columnId) throws Exception {
        return fx(() -> {
            TableView<?> table = lookup("#tagTable").queryAs(TableView.class);
            for (javafx.scene.Node n : table.lookupAll(".table-cell")) {
                if (n instanceof TableCell<?, ?> cell && cell.getTableRow() != null
                        && cell.getTableRow().getItem() instanceof TagRow row && row.getName().equals(tag)
                        && columnId.equals(cell.getTableColumn().getId())) {
                    return Optional.ofNullable(cell.getText());
                }
            }
            return Optional.empty();
        });
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(5, TimeUnit.SECONDS);
    }

    private static void waitUntil(String what, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting until " + what, e);
        }
    }

    @Test
    void theStatusBarShowsTheSizeOfTheHistoryAndNoSystemAlarm() throws Exception {
        waitUntil("the status bar shows the history's size", () -> fx(() -> lookup("#historySummary")
                .queryAs(Labeled.class).getText()).matches("History [0-9.]+ [kMG]?B · [0-9,]+ samples recorded"));
        assertThat(fx(() -> lookup("#systemAlarm").queryAs(Labeled.class).isVisible())).isFalse();
    }

    @Test
    void historyAtRiskRaisesASystemAlarmInTheHeader() throws Exception {
        stop();
        // A floor of free disk space no disk has: the historian reports the disk as low at once.
        startWith(yaml -> yaml.replace("disk-space-floor: 512MiB", "disk-space-floor: 1000000TB"));
        waitUntil("the header shows the system alarm", () -> fx(() -> lookup("#systemAlarm")
                .queryAs(Labeled.class).isVisible()));
        assertThat(fx(() -> lookup("#systemAlarm").queryAs(Labeled.class).getText()))
                .startsWith("⚠ Disk space low for history: ").endsWith(" free");
        assertThat(fx(() -> lookup("#historySummary").queryAs(Labeled.class).getPseudoClassStates()
                .contains(QualityStyle.BAD))).isTrue();
    }

    @Test
    void theEventsViewListsTheOperatorsActionsAndDeviceEventsNewestFirst() throws Exception {
        waitUntil("the PLC is up", () -> fx(() -> lookup("#linkSummary").queryAs(Labeled.class).getText()
                .contains("connected")));
        workstation.setTagEnabled("FT-101", false, "night-operator");
        workstation.setTagEnabled("FT-101", true, "night-operator");
        clickOn("#nav-events");
        waitUntil("both actions and the PLC's connection are listed", () -> fx(() -> {
            List<JournalEntry> items = lookup("#journalTable").<JournalEntry>queryTableView().getItems();
            return items.stream().filter(e -> e.source().equals("FT-101")).count() == 2
                    && items.stream().anyMatch(e -> e.action().equals("device-up"));
        }));
        List<JournalEntry> shown = fx(() -> List.copyOf(lookup("#journalTable").<JournalEntry>queryTableView()
                .getItems()));
        List<JournalEntry> actions = shown.stream().filter(e -> e.source().equals("FT-101")).toList();
        assertThat(actions).extracting(JournalEntry::action).containsExactly("in-service", "out-of-service");
        assertThat(actions).extracting(JournalEntry::user).containsOnly("night-operator");
        assertThat(shown).anyMatch(e -> e.action().equals("device-up") && e.source().equals("station-plc"));
        assertThat(shown).extracting(JournalEntry::time).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        // Only the operator's actions, then only what mentions FT-101.
        clickOn("#journalSystem");
        waitUntil("system events are hidden", () -> fx(() -> lookup("#journalTable").<JournalEntry>queryTableView()
                .getItems().stream().allMatch(e -> e.kind() == JournalKind.OPERATOR)));
        clickOn("#journalFilter").write("ft-101");
        waitUntil("the count says two events", () -> fx(() -> lookup("#journalCount").queryAs(Labeled.class)
                .getText()).equals("2 events"));
    }

    @Test
    void theRowOfATagShowsTheSimulatorsValueThenANewOne() throws Exception {
        clickOn("#nav-tags");
        waitUntil("LT-101 shows a value", () -> shownValue("LT-101").filter(v -> v.matches("\\d+\\.\\d\\d"))
                .isPresent());
        String first = shownValue("LT-101").orElseThrow();
        assertThat(Double.parseDouble(first)).as("shown level against the plant's level")
                .isCloseTo(simulator.snapshot().level(), within(0.05));

        waitUntil("LT-101 shows a new value", () -> !shownValue("LT-101").orElse(first).equals(first));
        assertThat(shownValue("LT-101").orElseThrow()).matches("\\d+\\.\\d\\d");

        // The quality column says Good, without decoration.
        assertThat(shown("LT-101", "qualityColumn")).contains("Good");
    }

    @Test
    void whenThePlcDropsOffTheRowTurnsBadAndKeepsTheLastGoodValueWithItsAge() throws Exception {
        clickOn("#nav-tags");
        waitUntil("LT-101 shows a value", () -> shownValue("LT-101").filter(v -> v.matches("\\d+\\.\\d\\d"))
                .isPresent());
        simulator.close();
        waitUntil("LT-101 turns Bad", () -> shown("LT-101", "qualityColumn").orElse("").startsWith("✕ Bad_"));
        assertThat(shownValue("LT-101")).contains("—");
        assertThat(shown("LT-101", "lastGoodColumn").orElseThrow()).matches("\\d+\\.\\d\\d m, \\d+ s ago");
        // Device status is refreshed about once a second.
        waitUntil("the header says the PLC is disconnected", () -> fx(() -> lookup("#linkSummary")
                .queryAs(Labeled.class).getText()).matches("✕ .*station-plc.* disconnected"));
    }

    @Test
    void theFilterNarrowsTheTableToMatchingTags() throws Exception {
        clickOn("#nav-tags");
        clickOn("#tagFilter").write("vibration");
        waitUntil("two rows remain", () -> fx(() -> window.tagBrowser().table().getItems().size()) == 2);
        assertThat(fx(() -> window.tagBrowser().table().getItems().stream().map(TagRow::getName).toList()))
                .containsExactly("P-101.VIBRATION", "P-102.VIBRATION");
        assertThat(fx(() -> lookup("#tagCount").queryAs(Labeled.class).getText())).matches("2 of \\d+ tags");
    }

    @Test
    void anEngineerTracesFramesAndTakesTheDeviceOutOfServiceFromTheDeviceView() throws Exception {
        clickOn("#nav-devices");
        waitUntil("the device is listed and selected", () -> fx(() -> lookup("#deviceTable")
                .queryAs(TableView.class).getSelectionModel().getSelectedItem() != null));
        clickOn("#traceButton");
        waitUntil("the trace shows requests and answers in hex", () -> fx(() -> {
            String text = lookup("#traceText").queryAs(javafx.scene.control.TextArea.class).getText();
            return text.matches("(?s).*\\d\\d:\\d\\d:\\d\\d\\.\\d{3} TX [0-9A-F ]+.*")
                    && text.contains(" RX ");
        }));
        clickOn("#traceButton");

        clickOn("#outOfService");
        waitUntil("the link shows out of service", () -> fx(() -> {
            for (javafx.scene.Node n : lookup("#deviceTable").queryAs(TableView.class).lookupAll(".table-cell")) {
                if (n instanceof TableCell<?, ?> cell && "linkColumn".equals(cell.getTableColumn().getId())
                        && "Out of service".equals(cell.getText())) {
                    return true;
                }
            }
            return false;
        }));
        assertThat(workstation.value("LT-101").quality()).isEqualTo(dev.stator.driver.api.Quality.BAD_OUT_OF_SERVICE);
        clickOn("#outOfService");
        waitUntil("values come back", () -> workstation.value("LT-101").quality().isGood());
    }

    @Test
    void aTagIsTakenOutOfServiceAndBackFromTheTagBrowser() throws Exception {
        clickOn("#nav-tags");
        waitUntil("FT-101 shows a value", () -> shown("FT-101", "valueColumn").filter(v -> !v.equals("—"))
                .isPresent());
        clickOn("#tagFilter").write("FT-101");
        waitUntil("one row remains", () -> fx(() -> window.tagBrowser().table().getItems().size()) == 1);
        clickOn("Inflow");
        clickOn("#tagServiceButton");
        waitUntil("FT-101 is out of service", () -> shown("FT-101", "qualityColumn").orElse("")
                .startsWith("✕ Bad_OutOfService"));
        assertThat(shown("FT-101", "lastGoodColumn").orElseThrow()).contains("m³/h");
        assertThat(workstation.value("LT-101").quality().isGood()).as("the other tags keep updating").isTrue();
        waitUntil("the button offers the way back", () -> fx(() -> lookup("#tagServiceButton")
                .queryAs(Labeled.class).getText()).equals("Return to service"));
        clickOn("#tagServiceButton");
        waitUntil("FT-101 is Good again", () -> shown("FT-101", "qualityColumn").orElse("").equals("Good"));
    }

    @Test
    void theOverviewShowsEachTagAsAnIndicatorWithItsValue() throws Exception {
        waitUntil("the level indicator shows a value", () -> fx(() -> {
            var w = lookup("#widget-LT-101").queryAs(dev.stator.hmi.widgets.AnalogIndicator.class);
            return !Double.isNaN(w.getValue()) && w.getQuality() != null && w.getQuality().isGood();
        }));
        double shown = fx(() -> lookup("#widget-LT-101").queryAs(dev.stator.hmi.widgets.AnalogIndicator.class)
                .getValue());
        assertThat(shown).isCloseTo(simulator.snapshot().level(), within(0.1));
        assertThat(fx(() -> lookup("#widget-P-101_RUNNING").queryAs(dev.stator.hmi.widgets.StateIndicator.class)
                .getState())).isTrue();
    }

    @Test
    void theDeviceViewShowsTheLinkUpWithItsCounters() throws Exception {
        clickOn("#nav-devices");
        assertThat(fx(() -> lookup("#nav-devices").queryAs(ToggleButton.class).isSelected())).isTrue();
        waitUntil("both devices connected", () -> fx(() -> lookup("#linkSummary").queryAs(Labeled.class).getText()
                .equals("2 of 2 devices connected")));
        waitUntil("station-plc connected", () -> fx(() -> {
            TableView<?> t = lookup("#deviceTable").queryAs(TableView.class);
            for (javafx.scene.Node n : t.lookupAll(".table-cell")) {
                if (n instanceof TableCell<?, ?> cell && "linkColumn".equals(cell.getTableColumn().getId())
                        && "Connected".equals(cell.getText())) {
                    return true;
                }
            }
            return false;
        }));
        assertThat(fx(() -> lookup("#linkSummary").queryAs(Labeled.class).getText()))
                .isEqualTo("2 of 2 devices connected");
    }
}
