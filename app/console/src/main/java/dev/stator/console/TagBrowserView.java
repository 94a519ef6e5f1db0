package dev.stator.console;

import dev.stator.driver.api.Quality;
import dev.stator.runtime.TagState;
import dev.stator.runtime.TagTable;
import dev.stator.runtime.ValueFormat;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.control.textfield.TextFields;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The live tag browser: every tag with its description, value, units, quality and source timestamp, and for a tag
 * that is not Good, its last good value and how old it is. Filtered by name or description as the operator types.
 * FX thread only; fed by {@link UiThrottle}.
 */
public final class TagBrowserView extends VBox {

    private final ObservableList<TagRow> rows = FXCollections.observableArrayList();
    private final Map<TagState, TagRow> rowByTag = new HashMap<>();
    private final FilteredList<TagRow> filtered = new FilteredList<>(rows);
    private final TableView<TagRow> table = new TableView<>(filtered);
    private final TextField filter = TextFields.createClearableTextField();
    private final Label count = new Label();
    private Button serviceButton;

    /** Maintenance actions on one tag; the console passes the workstation's. */
    public interface TagActions {
        void setTagEnabled(String tag, boolean enabled);

        void readNow(String device);

        /** Opens the history export for {@code tags} (the selected ones). */
        default void exportHistory(List<String> tags) {
        }
    }

    public TagBrowserView(TagTable tags, ValueFormat format, TagActions actions) {
        getStyleClass().add("view");
        for (TagState t : tags.all()) {
            TagRow row = new TagRow(t, format);
            rows.add(row);
            rowByTag.put(t, row);
        }

        filter.setId("tagFilter");
        filter.setPromptText("Filter by name or description");
        filter.setPrefColumnCount(28);
        filter.textProperty().addListener((o, was, text) -> {
            String f = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
            filtered.setPredicate(f.isEmpty() ? null : r -> r.getName().toLowerCase(Locale.ROOT).contains(f)
                    || r.getDescription().toLowerCase(Locale.ROOT).contains(f));
            updateCount();
        });
        Label title = new Label("Tags");
        title.getStyleClass().add("view-title");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        count.setId("tagCount");
        count.getStyleClass().add("muted");
        Button service = new Button("Take out of service");
        service.setId("tagServiceButton");
        service.setDisable(true);
        service.setOnAction(e -> {
            TagRow item = table.getSelectionModel().getSelectedItem();
            if (item != null) {
                actions.setTagEnabled(item.getName(), isOutOfService(item));
            }
        });
        table.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> serviceText(service, now));
        serviceButton = service;
        Button exportHistory = new Button("Export history…");
        exportHistory.setId("exportHistoryButton");
        exportHistory.setOnAction(e -> actions.exportHistory(table.getSelectionModel().getSelectedItems().stream()
                .map(TagRow::getName).toList()));
        table.getSelectionModel().setSelectionMode(javafx.scene.control.SelectionMode.MULTIPLE);
        HBox bar = new HBox(12, title, spacer, exportHistory, service, count, filter);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(0, 0, 8, 0));

        table.setId("tagTable");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No tag matches the filter"));
        table.getColumns().add(text("Tag", 150, TagRow::getName));
        table.getColumns().add(text("Description", 260, TagRow::getDescription));
        TableColumn<TagRow, String> value = new TableColumn<>("Value");
        value.setId("valueColumn");
        value.setPrefWidth(110);
        value.setCellValueFactory(c -> c.getValue().valueProperty());
        value.getStyleClass().add("numeric");
        table.getColumns().add(value);
        table.getColumns().add(text("Units", 60, TagRow::getUnits));
        TableColumn<TagRow, String> quality = new TableColumn<>("Quality");
        quality.setId("qualityColumn");
        quality.setPrefWidth(250);
        quality.setCellValueFactory(c -> c.getValue().qualityTextProperty());
        quality.setCellFactory(c -> new QualityCell());
        table.getColumns().add(quality);
        TableColumn<TagRow, String> time = new TableColumn<>("Timestamp");
        time.setPrefWidth(180);
        time.setCellValueFactory(c -> c.getValue().timeProperty());
        table.getColumns().add(time);
        TableColumn<TagRow, String> lastGood = new TableColumn<>("Last good value");
        lastGood.setId("lastGoodColumn");
        lastGood.setPrefWidth(180);
        lastGood.setCellValueFactory(c -> c.getValue().lastGoodProperty());
        table.getColumns().add(lastGood);
        table.setRowFactory(t -> {
            QualityRow row = new QualityRow();
            row.setContextMenu(menu(row, actions));
            return row;
        });
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(bar, table);
        updateCount();
    }

    private static boolean isOutOfService(TagRow item) {
        return Quality.BAD_OUT_OF_SERVICE.sameCodeAs(item.qualityProperty().get());
    }

    private static void serviceText(Button service, TagRow item) {
        service.setDisable(item == null);
        service.setText(item != null && isOutOfService(item) ? "Return to service" : "Take out of service");
    }

    /** Right-click on a row: take the tag out of service or back, read its device now. */
    private static ContextMenu menu(QualityRow row, TagActions actions) {
        MenuItem service = new MenuItem();
        service.setId("tagService");
        MenuItem readNow = new MenuItem("Read its device now");
        readNow.setId("tagReadNow");
        ContextMenu menu = new ContextMenu(service, readNow);
        menu.setOnShowing(e -> {
            TagRow item = row.getItem();
            boolean out = item != null && isOutOfService(item);
            service.setText(out ? "Return to service" : "Take out of service");
            service.setOnAction(a -> {
                if (item != null) {
                    actions.setTagEnabled(item.getName(), out);
                }
            });
            readNow.setOnAction(a -> {
                if (item != null) {
                    actions.readNow(item.tag().spec().device());
                }
            });
        });
        return menu;
    }

    private static TableColumn<TagRow, String> text(String title, double width, Function<TagRow, String> getter) {
        TableColumn<TagRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(getter.apply(cell.getValue())));
        return c;
    }

    private void updateCount() {
        count.setText(filtered.size() == rows.size() ? rows.size() + " tags"
                : filtered.size() + " of " + rows.size() + " tags");
    }

    /** Applies the tags that changed; FX thread. */
    public void update(List<TagState> changed) {
        Instant now = Instant.now();
        for (TagState t : changed) {
            TagRow row = rowByTag.get(t);
            if (row != null) {
                row.refresh(now);
            }
        }
        serviceText(serviceButton, table.getSelectionModel().getSelectedItem());
    }

    /** Refreshes the ages of last good values; FX thread, about once a second. */
    public void tick() {
        Instant now = Instant.now();
        for (TagRow row : rows) {
            Quality q = row.qualityProperty().get();
            if (q != null && !q.isGood()) {
                row.refresh(now);
            }
        }
    }

    public TextField filterField() {
        return filter;
    }

    public TableView<TagRow> table() {
        return table;
    }

    /** A row marked by its tag's quality. */
    private static final class QualityRow extends TableRow<TagRow> {
        private TagRow bound;
        private final javafx.beans.value.ChangeListener<Quality> listener = (o, was, q) -> QualityStyle.apply(this, q);

        @Override
        protected void updateItem(TagRow item, boolean empty) {
            super.updateItem(item, empty);
            if (bound != null) {
                bound.qualityProperty().removeListener(listener);
            }
            bound = empty ? null : item;
            if (bound != null) {
                bound.qualityProperty().addListener(listener);
                QualityStyle.apply(this, bound.qualityProperty().get());
            } else {
                QualityStyle.apply(this, null);
            }
        }
    }

    /** The quality text with a marker glyph for Uncertain and Bad. */
    private static final class QualityCell extends TableCell<TagRow, String> {
        @Override
        protected void updateItem(String text, boolean empty) {
            super.updateItem(text, empty);
            if (empty || text == null) {
                setText(null);
                return;
            }
            TagRow row = getTableRow() == null ? null : getTableRow().getItem();
            Quality q = row == null ? null : row.qualityProperty().get();
            String mark = q == null || q.isGood() ? "" : q.isUncertain() ? "? " : "✕ ";
            setText(mark + text);
        }
    }
}
