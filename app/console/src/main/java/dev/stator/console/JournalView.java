package dev.stator.console;

import dev.stator.historian.HistoryException;
import dev.stator.historian.JournalEntry;
import dev.stator.historian.JournalKind;
import dev.stator.historian.JournalQuery;
import dev.stator.runtime.ValueFormat;
import dev.stator.runtime.Workstation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The event journal: alarm events, operator actions and system events from the history, newest first, for a
 * period, with filters by kind and by text (source or message). While a period ending now is shown it follows new
 * entries. Queries run on the console's file thread; the table is filled on the FX thread.
 */
public final class JournalView extends VBox {

    /** The most entries shown: the newest of the period. */
    static final int MAX_ROWS = 2_000;

    /** A period ending now, as offered to the operator. */
    enum Period {
        HOUR("Last hour", Duration.ofHours(1)),
        DAY("Last 24 hours", Duration.ofDays(1)),
        WEEK("Last 7 days", Duration.ofDays(7)),
        MONTH("Last 30 days", Duration.ofDays(30));

        final String label;
        final Duration length;

        Period(String label, Duration length) {
            this.label = label;
            this.length = length;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final Workstation workstation;
    private final ValueFormat format;
    private final Executor io;
    private final Executor fx;
    private final ObservableList<JournalEntry> rows = FXCollections.observableArrayList();
    private final TableView<JournalEntry> table = new TableView<>(rows);
    private final ComboBox<Period> period = new ComboBox<>(FXCollections.observableArrayList(Period.values()));
    private final CheckBox alarms = new CheckBox("Alarms");
    private final CheckBox operator = new CheckBox("Operator actions");
    private final CheckBox system = new CheckBox("System");
    private final TextField filter = new TextField();
    private final Label count = new Label();
    /** One query at a time; a refresh asked for while one runs is run once it ends, with the bar as it is then. */
    private final AtomicBoolean querying = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    public JournalView(Workstation workstation, ValueFormat format, Executor io, Executor fx) {
        this.workstation = workstation;
        this.format = format;
        this.io = io;
        this.fx = fx;
        getStyleClass().add("view");
        Label title = new Label("Events");
        title.getStyleClass().add("view-title");

        period.setId("journalPeriod");
        period.getSelectionModel().select(Period.DAY);
        for (CheckBox c : List.of(alarms, operator, system)) {
            c.setSelected(true);
            c.setOnAction(e -> refresh());
        }
        alarms.setId("journalAlarms");
        operator.setId("journalOperator");
        system.setId("journalSystem");
        filter.setId("journalFilter");
        filter.setPromptText("Filter: tag, device or text");
        filter.setPrefColumnCount(24);
        filter.textProperty().addListener((o, was, now) -> refresh());
        period.setOnAction(e -> refresh());
        count.setId("journalCount");
        count.getStyleClass().add("muted");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(12, period, alarms, operator, system, filter, spacer, count);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(0, 0, 8, 0));

        table.setId("journalTable");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No events in this period"));
        TableColumn<JournalEntry, String> time = column("Time", 190, e -> format.time(e.time()));
        time.setMinWidth(185);
        table.getColumns().add(time);
        table.getColumns().add(column("Kind", 90, e -> kindText(e.kind())));
        table.getColumns().add(column("Source", 140, JournalEntry::source));
        table.getColumns().add(column("Event", 120, JournalEntry::action));
        table.getColumns().add(column("User", 100, JournalEntry::user));
        table.getColumns().add(column("Change", 140, JournalView::change));
        TableColumn<JournalEntry, String> message = column("Message", 420, JournalEntry::message);
        message.setId("journalMessage");
        message.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            private final javafx.scene.control.Tooltip tip = new javafx.scene.control.Tooltip();

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                tip.setText(item);
                setTooltip(empty || item == null || item.isEmpty() ? null : tip); // the whole message
            }
        });
        table.getColumns().add(message);
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(title, bar, table);
    }

    private static TableColumn<JournalEntry, String> column(String name, double width,
                                                            Function<JournalEntry, String> text) {
        TableColumn<JournalEntry, String> c = new TableColumn<>(name);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(text.apply(d.getValue()) == null ? ""
                : text.apply(d.getValue())));
        c.setSortable(false);
        return c;
    }

    static String kindText(JournalKind kind) {
        return switch (kind) {
            case ALARM -> "Alarm";
            case OPERATOR -> "Operator";
            case SYSTEM -> "System";
        };
    }

    private static String change(JournalEntry e) {
        if (e.oldValue() == null && e.newValue() == null) {
            return "";
        }
        return (e.oldValue() == null ? "" : e.oldValue() + " → ") + (e.newValue() == null ? "" : e.newValue());
    }

    /** Runs the query for what the bar shows and fills the table. FX thread. */
    public void refresh() {
        Set<JournalKind> kinds = EnumSet.noneOf(JournalKind.class);
        if (alarms.isSelected()) {
            kinds.add(JournalKind.ALARM);
        }
        if (operator.isSelected()) {
            kinds.add(JournalKind.OPERATOR);
        }
        if (system.isSelected()) {
            kinds.add(JournalKind.SYSTEM);
        }
        Period p = period.getValue() == null ? Period.DAY : period.getValue();
        String text = filter.getText() == null ? "" : filter.getText().trim();
        if (kinds.isEmpty()) {
            rows.clear();
            count.setText("No kind of event selected");
            return;
        }
        if (!querying.compareAndSet(false, true)) {
            again.set(true); // the filter changed while a query ran: its result would be stale
            return;
        }
        Instant now = Instant.now();
        JournalQuery query = JournalQuery.between(now.minus(p.length), now.plusSeconds(1)).withKinds(kinds);
        try {
            io.execute(() -> {
                try {
                    Result r = run(query, text);
                    fx.execute(() -> show(r));
                } catch (HistoryException | RuntimeException e) {
                    fx.execute(() -> count.setText("The journal cannot be read: " + e.getMessage()));
                } finally {
                    querying.set(false);
                    if (again.getAndSet(false)) {
                        fx.execute(this::refresh);
                    }
                }
            });
        } catch (RejectedExecutionException closing) {
            querying.set(false);
        }
    }

    private record Result(List<JournalEntry> newestFirst, long total) {
    }

    /** The newest entries of the query that match the text (source or message, any case). On the file thread. */
    private Result run(JournalQuery query, String text) throws HistoryException {
        String needle = text.toLowerCase(Locale.ROOT);
        ArrayDeque<JournalEntry> newest = new ArrayDeque<>();
        long[] total = {0};
        workstation.historian().streamJournal(query, e -> {
            if (!needle.isEmpty() && !e.source().toLowerCase(Locale.ROOT).contains(needle)
                    && !e.message().toLowerCase(Locale.ROOT).contains(needle)) {
                return;
            }
            total[0]++;
            newest.addLast(e);
            if (newest.size() > MAX_ROWS) {
                newest.removeFirst();
            }
        });
        List<JournalEntry> list = new ArrayList<>(newest);
        java.util.Collections.reverse(list);
        return new Result(list, total[0]);
    }

    private void show(Result r) {
        JournalEntry selected = table.getSelectionModel().getSelectedItem();
        rows.setAll(r.newestFirst());
        if (selected != null) {
            table.getSelectionModel().select(selected);
        }
        count.setText(r.total() > r.newestFirst().size()
                ? String.format(Locale.ROOT, "newest %,d of %,d events", r.newestFirst().size(), r.total())
                : ValueFormat.count(r.total(), "event"));
    }

    public TableView<JournalEntry> table() {
        return table;
    }
}
