package dev.stator.console;

import dev.stator.driver.api.Options;
import dev.stator.historian.CsvDialect;
import dev.stator.historian.HistoryCsv;
import dev.stator.historian.HistoryException;
import dev.stator.historian.HistoryExport;
import dev.stator.historian.HistorySource;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * "Export history…": the history of the chosen tags over a range into a CSV file, raw, binned or interpolated, with
 * the separator and decimal mark a spreadsheet expects (see {@link HistoryCsv}). The export runs on a thread of its
 * own ({@value #THREAD}) and writes {@code FILE.part}, renamed when complete; the dialog shows the rows written,
 * can cancel, and names the problem when it fails. Built and used on the FX thread; never waits on the disk there.
 */
final class HistoryExportDialog extends Dialog<Void> {

    static final String THREAD = "stator-history-export";
    private static final DateTimeFormatter FIELD = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final HistorySource history;
    private final ZoneId zone;
    private final Clock clock;
    final ListView<String> tags = new ListView<>();
    final TextField from = new TextField();
    final TextField to = new TextField();
    final ChoiceBox<HistoryExport.Mode> mode = new ChoiceBox<>(
            FXCollections.observableArrayList(HistoryExport.Mode.values()));
    final TextField step = new TextField("1m");
    final ChoiceBox<String> separator = new ChoiceBox<>(FXCollections.observableArrayList("Comma", "Semicolon",
            "Tab"));
    final ChoiceBox<String> decimal = new ChoiceBox<>(FXCollections.observableArrayList("Point", "Comma"));
    final CheckBox localTimes = new CheckBox("Times in local time (with offset); otherwise UTC");
    final TextField target = new TextField();
    final Button export = new Button("Export");
    final Button cancel = new Button("Cancel export");
    final Label status = new Label();
    private final ProgressIndicator busy = new ProgressIndicator();
    /** Asks for the target file; a test replaces it to bypass the FileChooser. */
    Function<Window, Path> fileChooser = HistoryExportDialog::chooseFile;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private Thread worker;

    /**
     * @param allTags     the tags to choose from
     * @param preselected the tags chosen at first (the selection in the tag browser)
     * @param zone        the zone of the from/to fields and of local times
     */
    HistoryExportDialog(Window owner, HistorySource history, List<String> allTags, List<String> preselected,
                        ZoneId zone, Clock clock) {
        this.history = history;
        this.zone = zone;
        this.clock = clock;
        initOwner(owner);
        setTitle("Export history");
        setResizable(true);

        tags.setId("exportTags");
        tags.getItems().setAll(allTags);
        tags.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        for (String t : preselected) {
            tags.getSelectionModel().select(t);
        }
        tags.setPrefSize(220, 280);

        from.setId("exportFrom");
        to.setId("exportTo");
        from.setPromptText("2026-11-25 10:00:00");
        to.setPromptText("2026-11-25 11:00:00");
        Button hour = preset("Last hour", "presetHour", Duration.ofHours(1));
        Button day = preset("Last 24 h", "presetDay", Duration.ofDays(1));
        Button week = preset("Last 7 days", "presetWeek", Duration.ofDays(7));
        hour.fire();

        mode.setId("exportMode");
        mode.setValue(HistoryExport.Mode.RAW);
        mode.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(HistoryExport.Mode m) {
                return m == null ? "" : switch (m) {
                    case RAW -> "Raw: every sample (time, tag, value, quality)";
                    case BINNED -> "Binned: count, min, max, avg, first, last per step";
                    case INTERPOLATED -> "Interpolated: one column per tag, a value per step";
                };
            }

            @Override
            public HistoryExport.Mode fromString(String s) {
                return null;
            }
        });
        step.setId("exportStep");
        step.setPrefColumnCount(6);
        step.disableProperty().bind(mode.valueProperty().isEqualTo(HistoryExport.Mode.RAW));
        separator.setId("exportSeparator");
        separator.setValue("Comma");
        decimal.setId("exportDecimal");
        decimal.setValue("Point");
        localTimes.setId("exportLocalTimes");

        target.setId("exportTarget");
        target.setEditable(false);
        target.setPromptText("Choose a file");
        target.setPrefColumnCount(32);
        Button choose = new Button("Choose…");
        choose.setId("exportChoose");
        choose.setOnAction(e -> {
            Path p = fileChooser.apply(getDialogPane().getScene().getWindow());
            if (p != null) {
                target.setText(p.toString());
            }
        });

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        int row = 0;
        form.addRow(row++, new Label("From"), from);
        form.addRow(row++, new Label("To"), to);
        form.add(new HBox(6, hour, day, week), 1, row++);
        form.addRow(row++, new Label("Mode"), mode);
        form.addRow(row++, new Label("Step"), step);
        form.addRow(row++, new Label("Separator"), separator);
        form.addRow(row++, new Label("Decimal mark"), decimal);
        form.add(localTimes, 1, row++);
        form.addRow(row++, new Label("File"), new HBox(6, target, choose));

        export.setId("exportButton");
        export.setDefaultButton(true);
        export.setOnAction(e -> start());
        cancel.setId("cancelExport");
        cancel.setDisable(true);
        cancel.setOnAction(e -> cancelled.set(true));
        status.setId("exportStatus");
        status.setWrapText(true);
        status.setMaxWidth(560);
        busy.setPrefSize(18, 18);
        busy.setVisible(false);
        HBox actions = new HBox(8, export, cancel, busy, status);

        VBox tagBox = new VBox(4, new Label("Tags (Ctrl+click for several)"), tags);
        VBox.setVgrow(tags, Priority.ALWAYS);
        HBox top = new HBox(16, tagBox, form);
        VBox box = new VBox(12, top, actions);
        box.setPadding(new Insets(12));
        getDialogPane().setContent(box);
        getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        // Closing the dialog stops an export in progress.
        setOnHidden(e -> cancelled.set(true));
    }

    private Button preset(String text, String id, Duration length) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(e -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            from.setText(FIELD.format(now.minus(length).atZone(zone)));
            to.setText(FIELD.format(now.atZone(zone)));
        });
        return b;
    }

    private static Path chooseFile(Window owner) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export history to");
        chooser.setInitialFileName("history.csv");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV files", "*.csv"));
        File f = chooser.showSaveDialog(owner);
        return f == null ? null : f.toPath();
    }

    /** Checks the form on the FX thread, then exports on a thread of its own. */
    private void start() {
        HistoryExport request;
        Path file;
        try {
            // In list order, whatever order they were clicked in.
            List<String> chosen = tags.getItems().stream()
                    .filter(t -> tags.getSelectionModel().getSelectedItems().contains(t)).toList();
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("Choose at least one tag");
            }
            Instant start = time(from, "From");
            Instant end = time(to, "To");
            if (!start.isBefore(end)) {
                throw new IllegalArgumentException("From must be before To");
            }
            Duration width = null;
            if (mode.getValue() != HistoryExport.Mode.RAW) {
                try {
                    width = Options.parseDuration(step.getText());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Step: " + e.getMessage());
                }
            }
            CsvDialect dialect = new CsvDialect(switch (separator.getValue()) {
                case "Semicolon" -> ';';
                case "Tab" -> '\t';
                default -> ',';
            }, "Comma".equals(decimal.getValue()) ? ',' : '.', localTimes.isSelected() ? zone : null);
            if (target.getText().isBlank()) {
                throw new IllegalArgumentException("Choose the file to export to");
            }
            file = Path.of(target.getText());
            if (width != null) {
                // Rows on whole steps of the clock, as on the command line.
                start = HistoryExport.alignDown(start, width, zone);
            }
            request = new HistoryExport(chosen, start, end, mode.getValue(), width, null, dialect);
        } catch (IllegalArgumentException e) {
            show("✕ " + e.getMessage(), false);
            return;
        }
        cancelled.set(false);
        show("Exporting…", true);
        AtomicLong rows = new AtomicLong();
        AtomicBoolean shown = new AtomicBoolean(true);
        worker = new Thread(() -> run(request, file, rows, shown), THREAD);
        worker.setDaemon(true);
        worker.start();
    }

    private Instant time(TextField field, String name) {
        try {
            return LocalDateTime.parse(field.getText().trim(), FIELD).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": '" + field.getText() + "' is not a time; write it as "
                    + "2026-11-25 10:00:00");
        }
    }

    /** The export itself, on {@value #THREAD}. */
    private void run(HistoryExport request, Path file, AtomicLong rows, AtomicBoolean shown) {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        String outcome;
        try {
            List<String> recorded = new ArrayList<>();
            for (String t : request.tags()) {
                if (history.hasHistory(t)) {
                    recorded.add(t);
                }
            }
            if (recorded.isEmpty()) {
                throw new HistoryException("no history yet for " + String.join(", ", request.tags()));
            }
            HistoryExport export = new HistoryExport(recorded, request.from(), request.to(), request.mode(),
                    request.step(), request.interpolation(), request.dialect());
            long n;
            try (Writer out = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
                n = HistoryCsv.export(history, export, out, written -> {
                    rows.set(written);
                    // One update waiting on the FX thread at a time, however fast rows come.
                    if (shown.compareAndSet(true, false)) {
                        Platform.runLater(() -> {
                            shown.set(true);
                            if (worker != null) {
                                status.setText(String.format(Locale.ROOT, "Exporting… %,d rows", rows.get()));
                            }
                        });
                    }
                    return !cancelled.get();
                });
            }
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            int left = request.tags().size() - recorded.size();
            outcome = String.format(Locale.ROOT, "Exported %,d rows to %s", n, file)
                    + (left > 0 ? " (" + left + (left == 1 ? " tag has" : " tags have") + " no history yet)" : "");
        } catch (CancellationException e) {
            outcome = String.format(Locale.ROOT, "Cancelled after %,d rows; no file written", rows.get());
        } catch (HistoryException | RuntimeException e) {
            outcome = "✕ " + e.getMessage();
        } catch (IOException e) {
            outcome = "✕ cannot write " + file + " (" + e.getMessage() + "); choose another file or folder";
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                // nothing more to do: the message says what happened
            }
        }
        String text = outcome;
        Platform.runLater(() -> {
            worker = null;
            show(text, false);
        });
    }

    private void show(String text, boolean running) {
        status.setText(text);
        busy.setVisible(running);
        export.setDisable(running);
        cancel.setDisable(!running);
    }
}
