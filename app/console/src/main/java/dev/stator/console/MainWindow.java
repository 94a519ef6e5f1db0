package dev.stator.console;

import dev.stator.driver.api.DeviceStatus;
import dev.stator.driver.api.DeviceStatus.LinkState;
import dev.stator.historian.Historian;
import dev.stator.runtime.TagState;
import dev.stator.runtime.ValueFormat;
import dev.stator.runtime.Workstation;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.controlsfx.control.StatusBar;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The console's shell: a header with the project and the clock, navigation on the left, the current view in the
 * middle and a status bar at the bottom. Later views (mimic screens, alarms, trends) plug in as further navigation
 * entries. Built and used on the FX thread; values arrive through a {@link UiThrottle}.
 */
public final class MainWindow {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd  HH:mm:ss", Locale.ROOT);

    private final Workstation workstation;
    private final ValueFormat format;
    private final BorderPane root = new BorderPane();
    private final StackPane content = new StackPane();
    private final ToggleGroup navigation = new ToggleGroup();
    private final Map<String, Node> views = new LinkedHashMap<>();
    private final OverviewView overview;
    private final TagBrowserView tagBrowser;
    private final DeviceStatusView deviceView;
    private final JournalView journalView;
    private int journalTicks;
    private final Label clock = new Label();
    private final Label linkSummary = new Label();
    private final Label historySummary = new Label();
    /** Shown in the header while something threatens the history (disk, buffer, database): a system alarm. */
    private final Label systemAlarm = new Label();
    private final Executor fx;
    private final StatusBar statusBar = new StatusBar();
    private final UiThrottle throttle;
    /** One thread for file work the console starts (certificates), so the FX thread never waits on a disk. */
    private final java.util.concurrent.ExecutorService io = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
                Thread t = new Thread(r, "stator-console-io");
                t.setDaemon(true);
                return t;
            });

    /**
     * @param fx runs work on the FX thread: {@code Platform::runLater}
     */
    public MainWindow(Workstation workstation, Executor fx) {
        this.workstation = workstation;
        this.fx = fx;
        this.format = new ValueFormat(ZoneId.systemDefault());
        this.overview = new OverviewView(workstation.tags());
        this.tagBrowser = new TagBrowserView(workstation.tags(), format, new TagBrowserView.TagActions() {
            @Override
            public void setTagEnabled(String tag, boolean enabled) {
                workstation.setTagEnabled(tag, enabled);
            }

            @Override
            public void readNow(String device) {
                workstation.readNow(device);
            }

            @Override
            public void exportHistory(List<String> tags) {
                new HistoryExportDialog(root.getScene().getWindow(), workstation.historian(),
                        workstation.project().tags().stream().map(t -> t.name()).toList(), tags, format.zone(),
                        java.time.Clock.systemUTC()).show();
            }
        });
        this.deviceView = new DeviceStatusView(workstation, format, io);
        this.journalView = new JournalView(workstation, format, io, fx);

        root.getStyleClass().add("console");
        root.setTop(header());
        views.put("Overview", overview);
        views.put("Tags", tagBrowser);
        views.put("Devices", deviceView);
        views.put("Events", journalView);
        root.setLeft(navigationBar());
        content.getStyleClass().add("content");
        content.setPadding(new Insets(12));
        root.setCenter(content);
        root.setBottom(statusBar());
        show("Overview");

        throttle = new UiThrottle(workstation.tags(), workstation::deviceStatus, fx, this::onTags, this::onDevices,
                this::onSecond);
    }

    private Node header() {
        Label project = new Label(workstation.project().name());
        project.setId("projectName");
        project.getStyleClass().add("project-name");
        Label product = new Label("Stator");
        product.getStyleClass().add("product-name");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        clock.setId("clock");
        clock.getStyleClass().add("clock");
        systemAlarm.setId("systemAlarm");
        systemAlarm.getStyleClass().add("system-alarm");
        systemAlarm.setVisible(false);
        systemAlarm.managedProperty().bind(systemAlarm.visibleProperty());
        HBox header = new HBox(16, product, project, spacer, systemAlarm, linkSummary, clock);
        header.getStyleClass().add("header");
        header.setAlignment(Pos.CENTER_LEFT);
        linkSummary.setId("linkSummary");
        linkSummary.getStyleClass().add("link-summary");
        return header;
    }

    private Node navigationBar() {
        VBox nav = new VBox(4);
        nav.getStyleClass().add("navigation");
        for (String name : views.keySet()) {
            ToggleButton b = new ToggleButton(name);
            b.setId("nav-" + name.toLowerCase(Locale.ROOT));
            b.setToggleGroup(navigation);
            b.setMaxWidth(Double.MAX_VALUE);
            b.setUserData(name);
            nav.getChildren().add(b);
        }
        navigation.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null) {
                navigation.selectToggle(was); // one view is always shown
            } else {
                show((String) now.getUserData());
            }
        });
        return nav;
    }

    private Node statusBar() {
        statusBar.setId("statusBar");
        statusBar.setText("");
        historySummary.setId("historySummary");
        statusBar.getLeftItems().add(new Label(ValueFormat.count(workstation.project().tags().size(), "tag") + ", "
                + ValueFormat.count(workstation.project().devices().size(), "device")));
        statusBar.getRightItems().add(historySummary);
        return statusBar;
    }

    /** The names of the views, in navigation order. */
    public List<String> viewNames() {
        return List.copyOf(views.keySet());
    }

    /** Shows the view named {@code name} (a navigation entry). */
    public void show(String name) {
        Node view = views.get(name);
        if (view == null) {
            throw new IllegalArgumentException("no view '" + name + "'");
        }
        content.getChildren().setAll(view);
        if (view == journalView) {
            journalView.refresh();
        }
        navigation.getToggles().stream().filter(t -> name.equals(t.getUserData())).findFirst()
                .ifPresent(navigation::selectToggle);
    }

    private void onTags(List<TagState> changed) {
        overview.update(changed);
        tagBrowser.update(changed);
    }

    private void onDevices(List<DeviceStatus> status) {
        deviceView.update(status);
        long up = status.stream().filter(d -> d.state() == LinkState.CONNECTED).count();
        List<String> down = new ArrayList<>();
        status.stream().filter(d -> d.state() == LinkState.DISCONNECTED).forEach(d -> down.add(d.device()));
        linkSummary.setText(down.isEmpty() ? up + " of " + status.size() + " devices connected"
                : "✕ " + String.join(", ", down) + " disconnected");
        linkSummary.pseudoClassStateChanged(QualityStyle.BAD, !down.isEmpty());
    }

    private void onSecond() {
        clock.setText(CLOCK.format(Instant.now().atZone(format.zone())));
        tagBrowser.tick();
        if (content.getChildren().contains(journalView) && ++journalTicks % 2 == 0) {
            journalView.refresh(); // follows new events while shown
        }
        // The health reads file sizes and free disk space: off the FX thread.
        try {
            io.execute(() -> {
                Historian h = workstation.historian();
                HistoryStatus status = HistoryStatus.of(h.health(), h.writtenSamples(), h.lastWriteError()
                        .filter(e -> e.time().isAfter(Instant.now().minusSeconds(60))).orElse(null));
                fx.execute(() -> showHistory(status));
            });
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // the window is closing
        }
    }

    private void showHistory(HistoryStatus status) {
        historySummary.setText(status.summary());
        historySummary.pseudoClassStateChanged(QualityStyle.BAD, status.alarm() != null);
        historySummary.pseudoClassStateChanged(QualityStyle.UNCERTAIN, status.alarm() == null && status.behind());
        systemAlarm.setText(status.alarm() == null ? "" : "⚠ " + status.alarm());
        systemAlarm.setVisible(status.alarm() != null);
    }

    /** Starts the flow of values to the screen. */
    public void start() {
        throttle.start();
    }

    /** Stops the flow of values; the workstation itself is closed by the caller. */
    public void stop() {
        throttle.close();
        io.shutdown();
        deviceView.dispose();
    }

    public Parent root() {
        return root;
    }

    /** A scene with the console's style sheet. */
    public Scene createScene(double width, double height) {
        Scene scene = new Scene(root, width, height);
        scene.getStylesheets().add(MainWindow.class.getResource("console.css").toExternalForm());
        return scene;
    }

    public JournalView journalView() {
        return journalView;
    }

    public TagBrowserView tagBrowser() {
        return tagBrowser;
    }

    public DeviceStatusView deviceView() {
        return deviceView;
    }
}
