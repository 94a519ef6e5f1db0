package dev.stator.console;

import dev.stator.driver.api.DeviceStatus;
import dev.stator.driver.api.DeviceStatus.LinkState;
import dev.stator.runtime.ValueFormat;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Device status: for each device, whether its link is up, how many requests and errors, the last response time and
 * the last error in words. FX thread only; refreshed about once a second by {@link UiThrottle}.
 */
public final class DeviceStatusView extends VBox {

    private final ObservableList<DeviceStatus> rows = FXCollections.observableArrayList();
    private final TableView<DeviceStatus> table = new TableView<>(rows);
    private final ValueFormat format;

    public DeviceStatusView(ValueFormat format) {
        this.format = format;
        getStyleClass().add("view");
        Label title = new Label("Devices");
        title.getStyleClass().add("view-title");
        VBox.setMargin(title, new Insets(0, 0, 8, 0));
        table.setId("deviceTable");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("The project has no devices"));
        table.getColumns().add(text("Device", 150, DeviceStatus::device));
        table.getColumns().add(text("Endpoint", 130, DeviceStatus::endpoint));
        table.getColumns().add(text("Address", 190, DeviceStatus::address));
        TableColumn<DeviceStatus, String> state = text("Link", 120, d -> stateText(d.state()));
        state.setId("linkColumn");
        state.setCellFactory(c -> new StateCell());
        table.getColumns().add(state);
        table.getColumns().add(numeric("Requests", 90, d -> String.format(Locale.ROOT, "%,d", d.requests())));
        table.getColumns().add(numeric("Errors", 70, d -> String.format(Locale.ROOT, "%,d", d.errors())));
        table.getColumns().add(numeric("Response", 90, d -> d.lastResponseMillis() < 0 ? ""
                : String.format(Locale.ROOT, "%.1f ms", d.lastResponseMillis())));
        table.getColumns().add(text("Last error", 330, d -> d.lastError() == null ? ""
                : d.lastError() + "  (" + format.time(d.lastErrorTime()) + ")"));
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(title, table);
    }

    static String stateText(LinkState s) {
        return switch (s) {
            case CONNECTED -> "Connected";
            case CONNECTING -> "Connecting…";
            case DISCONNECTED -> "Disconnected";
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

    /** Replaces the rows with the latest status; FX thread. */
    public void update(List<DeviceStatus> status) {
        if (rows.size() == status.size()) {
            for (int i = 0; i < status.size(); i++) {
                if (!rows.get(i).equals(status.get(i))) {
                    rows.set(i, status.get(i));
                }
            }
        } else {
            rows.setAll(status);
        }
    }

    public TableView<DeviceStatus> table() {
        return table;
    }

    /** The link state, marked Bad when the device cannot be reached. */
    private static final class StateCell extends TableCell<DeviceStatus, String> {
        @Override
        protected void updateItem(String text, boolean empty) {
            super.updateItem(text, empty);
            DeviceStatus d = empty || getTableRow() == null ? null : getTableRow().getItem();
            setText(empty ? null : (d != null && d.state() == LinkState.DISCONNECTED ? "✕ " : "") + text);
            pseudoClassStateChanged(QualityStyle.BAD, d != null && d.state() == LinkState.DISCONNECTED);
        }
    }
}
