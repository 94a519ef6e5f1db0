package dev.stator.console;

import dev.stator.driver.api.DeviceStatus;
import dev.stator.driver.api.DeviceStatus.LinkState;
import dev.stator.runtime.ValueFormat;
import dev.stator.runtime.Workstation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * Device diagnostics: for each device its link state, requests, errors, response times (last, median, 99th
 * percentile), overruns and last error in words; for the selected device its errors by kind, "Read now", taking it out
 * of service and back, and an on-demand trace of the frames on the wire (as Modbus Poll shows them). FX thread only;
 * refreshed about once a second by {@link UiThrottle}. The buttons only queue work for the device's endpoint thread.
 */
public final class DeviceStatusView extends VBox {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceStatusView.class);
    /** Lines kept in the trace pane. */
    private static final int TRACE_LINES = 500;

    private final Workstation workstation;
    private final ValueFormat format;
    private final ObservableList<DeviceStatus> rows = FXCollections.observableArrayList();
    private final TableView<DeviceStatus> table = new TableView<>(rows);
    private final Label selectedTitle = new Label("Select a device");
    private final Label errorsByKind = new Label();
    private final Button readNow = new Button("Read now");
    private final ToggleButton outOfService = new ToggleButton("Out of service");
    private final ToggleButton traceButton = new ToggleButton("Frame trace");
    private final Button certificates = new Button("Certificates…");
    private final TextArea trace = new TextArea();
    private final ConcurrentLinkedQueue<String> traceLines = new ConcurrentLinkedQueue<>();
    private final Timeline traceDrain;
    private AutoCloseable traceHandle;
    private String tracedDevice;

    /** Runs file work (certificates) off the FX thread. */
    private final java.util.concurrent.Executor io;

    public DeviceStatusView(Workstation workstation, ValueFormat format, java.util.concurrent.Executor io) {
        this.workstation = workstation;
        this.io = io;
        this.format = format;
        getStyleClass().add("view");
        Label title = new Label("Devices");
        title.getStyleClass().add("view-title");
        VBox.setMargin(title, new Insets(0, 0, 8, 0));

        table.setId("deviceTable");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("The project has no devices"));
        table.getColumns().add(text("Device", 130, DeviceStatus::device));
        table.getColumns().add(text("Endpoint", 120, DeviceStatus::endpoint));
        table.getColumns().add(text("Address", 260, DeviceStatus::address));
        TableColumn<DeviceStatus, String> state = text("Link", 120, d -> stateText(d.state()));
        state.setId("linkColumn");
        state.setCellFactory(c -> new StateCell());
        table.getColumns().add(state);
        table.getColumns().add(numeric("Requests", 85, d -> String.format(Locale.ROOT, "%,d", d.requests())));
        TableColumn<DeviceStatus, String> errors = numeric("Errors", 70,
                d -> String.format(Locale.ROOT, "%,d", d.errors()));
        errors.setId("errorsColumn");
        table.getColumns().add(errors);
        table.getColumns().add(numeric("Last", 70, d -> millis(d.lastResponseMillis())));
        table.getColumns().add(numeric("Median", 70, d -> millis(d.p50Millis())));
        table.getColumns().add(numeric("99 %", 70, d -> millis(d.p99Millis())));
        table.getColumns().add(numeric("Overruns", 80, d -> String.format(Locale.ROOT, "%,d", d.overruns())));
        TableColumn<DeviceStatus, String> lastError = text("Last error", 300, d -> d.lastError() == null ? ""
                : d.lastError() + "  (" + format.time(d.lastErrorTime()) + ")");
        lastError.setId("lastErrorColumn");
        table.getColumns().add(lastError);
        table.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> showSelected());

        readNow.setId("readNow");
        readNow.setOnAction(e -> selected().ifPresent(d -> workstation.readNow(d.device())));
        outOfService.setId("outOfService");
        outOfService.setOnAction(e -> selected().ifPresent(d ->
                workstation.setDeviceEnabled(d.device(), !outOfService.isSelected())));
        traceButton.setId("traceButton");
        traceButton.setOnAction(e -> toggleTrace());
        errorsByKind.setId("errorsByKind");
        errorsByKind.getStyleClass().add("muted");
        selectedTitle.getStyleClass().add("section-title");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        certificates.setId("certificatesButton");
        certificates.setVisible(!workstation.certificates().isEmpty());
        certificates.setManaged(certificates.isVisible());
        certificates.setOnAction(e -> new CertificatesDialog(getScene().getWindow(), workstation.certificates(),
                io).show());
        HBox actions = new HBox(8, selectedTitle, spacer, readNow, outOfService, traceButton, certificates);
        actions.setAlignment(Pos.CENTER_LEFT);
        trace.setId("traceText");
        trace.setEditable(false);
        trace.getStyleClass().add("trace");
        trace.setPromptText("Frame trace: press \"Frame trace\" to see each request (TX) and answer (RX) in hex");
        VBox.setVgrow(trace, Priority.ALWAYS);
        VBox details = new VBox(6, actions, errorsByKind, trace);
        details.setPadding(new Insets(8, 0, 0, 0));

        SplitPane split = new SplitPane(table, details);
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.45);
        VBox.setVgrow(split, Priority.ALWAYS);
        getChildren().addAll(title, split);
        showSelected();

        traceDrain = new Timeline(new KeyFrame(Duration.millis(250), e -> drainTrace()));
        traceDrain.setCycleCount(Timeline.INDEFINITE);
    }

    private static String millis(double ms) {
        return ms < 0 ? "" : ms < 10 ? String.format(Locale.ROOT, "%.2f ms", ms)
                : String.format(Locale.ROOT, "%.0f ms", ms);
    }

    static String stateText(LinkState s) {
        return switch (s) {
            case CONNECTED -> "Connected";
            case CONNECTING -> "Connecting…";
            case DISCONNECTED -> "Disconnected";
            case DISABLED -> "Out of service";
            case STOPPED -> "Stopped";
        };
    }

    private static TableColumn<DeviceStatus, String> text(String title, double width,
                                                          Function<DeviceStatus, String> getter) {
        TableColumn<DeviceStatus, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(getter.apply(cell.getValue())));
        return c;
    }

    private static TableColumn<DeviceStatus, String> numeric(String title, double width,
                                                             Function<DeviceStatus, String> getter) {
        TableColumn<DeviceStatus, String> c = text(title, width, getter);
        c.getStyleClass().add("numeric");
        return c;
    }

    private java.util.Optional<DeviceStatus> selected() {
        return java.util.Optional.ofNullable(table.getSelectionModel().getSelectedItem());
    }

    /** Replaces the rows with the latest status; FX thread. */
    public void update(List<DeviceStatus> status) {
        String keep = selected().map(DeviceStatus::device).orElse(null);
        if (rows.size() == status.size()) {
            for (int i = 0; i < status.size(); i++) {
                if (!rows.get(i).equals(status.get(i))) {
                    rows.set(i, status.get(i));
                }
            }
        } else {
            rows.setAll(status);
        }
        if (keep != null) {
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).device().equals(keep)) {
                    table.getSelectionModel().select(i);
                }
            }
        } else if (!rows.isEmpty() && table.getSelectionModel().isEmpty()) {
            table.getSelectionModel().select(0);
        }
        showSelected();
    }

    private void showSelected() {
        DeviceStatus d = selected().orElse(null);
        readNow.setDisable(d == null || !d.enabled());
        outOfService.setDisable(d == null);
        traceButton.setDisable(d == null);
        if (d == null) {
            selectedTitle.setText("Select a device");
            errorsByKind.setText("");
            return;
        }
        selectedTitle.setText(d.device() + " — " + d.address());
        outOfService.setSelected(!d.enabled());
        Map<String, Long> kinds = d.errorsByKind();
        errorsByKind.setText(kinds.isEmpty() ? "No errors since start" : "Errors by kind: " + String.join(", ",
                kinds.entrySet().stream().map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%,d",
                        e.getValue())).toList()));
    }

    private void toggleTrace() {
        stopTrace();
        DeviceStatus d = selected().orElse(null);
        if (traceButton.isSelected() && d != null) {
            tracedDevice = d.device();
            trace.clear();
            traceHandle = workstation.trace(tracedDevice, traceLines::add);
            traceDrain.play();
        } else {
            traceButton.setSelected(false);
        }
    }

    private void stopTrace() {
        if (traceHandle != null) {
            try {
                traceHandle.close();
            } catch (Exception e) {
                LOG.warn("stopping the frame trace of '{}' failed", tracedDevice, e);
            }
            traceHandle = null;
            traceDrain.stop();
            drainTrace();
        }
    }

    private void drainTrace() {
        StringBuilder add = new StringBuilder();
        String line;
        while ((line = traceLines.poll()) != null) {
            add.append(line).append('\n');
        }
        if (add.length() == 0) {
            return;
        }
        trace.appendText(add.toString());
        String[] lines = trace.getText().split("\n");
        if (lines.length > TRACE_LINES) {
            trace.setText(String.join("\n", java.util.Arrays.copyOfRange(lines, lines.length - TRACE_LINES,
                    lines.length)) + "\n");
            trace.positionCaret(trace.getLength());
        }
    }

    /** Stops a running trace; FX thread. */
    public void dispose() {
        stopTrace();
    }

    public TableView<DeviceStatus> table() {
        return table;
    }

    /** The link state, marked Bad when the device cannot be reached, Uncertain while out of service. */
    private static final class StateCell extends TableCell<DeviceStatus, String> {
        @Override
        protected void updateItem(String text, boolean empty) {
            super.updateItem(text, empty);
            DeviceStatus d = empty || getTableRow() == null ? null : getTableRow().getItem();
            boolean down = d != null && d.state() == LinkState.DISCONNECTED;
            setText(empty ? null : (down ? "✕ " : "") + text);
            pseudoClassStateChanged(QualityStyle.BAD, down);
            pseudoClassStateChanged(QualityStyle.UNCERTAIN, d != null && d.state() == LinkState.DISABLED);
        }
    }
}
