package dev.stator.console;

import dev.stator.driver.api.TagValue;
import dev.stator.historian.Historian;
import dev.stator.historian.HistoryExport;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListCell;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The history export dialog driven as an operator would, on a real history database, headless (Monocle). */
class HistoryExportDialogTest extends FxRobot {

    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dir;

    private Historian historian;
    private Stage stage;
    private HistoryExportDialog dialog;

    @BeforeEach
    void record() throws Exception {
        historian = Historian.open(dir.resolve("history"));
        for (int i = 0; i < 60; i++) {
            historian.record("LT-101", TagValue.good(0.5 * i, T0.plus(Duration.ofMinutes(i))));
        }
        for (int i = 0; i < 6; i++) {
            historian.record("FT-101", TagValue.good((long) i, T0.plus(Duration.ofMinutes(10L * i))));
        }
        assertThat(historian.flush(Duration.ofSeconds(30))).isTrue();
        stage = FxToolkit.registerPrimaryStage();
        FxToolkit.setupStage(s -> {
            s.setScene(new Scene(new StackPane(), 300, 200));
            s.show();
        });
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupStages();
        if (dialog != null) {
            fx(() -> {
                dialog.close();
                return null;
            });
        }
        historian.close();
    }

    private void open(Path file) throws Exception {
        dialog = fx(() -> {
            HistoryExportDialog d = new HistoryExportDialog(stage, historian, List.of("FT-101", "LT-101", "PT-101"),
                    List.of("LT-101"), ZoneOffset.UTC, Clock.fixed(T0.plus(Duration.ofHours(1)), ZoneOffset.UTC));
            d.fileChooser = owner -> file;
            d.show();
            return d;
        });
    }

    @Test
    void theSelectedTagsAreExportedBinnedWithSemicolonsAndDecimalCommasIntoTheChosenFile() throws Exception {
        Path file = dir.resolve("export.csv");
        open(file);
        assertThat(fx(() -> List.copyOf(dialog.tags.getSelectionModel().getSelectedItems())))
                .containsExactly("LT-101");

        press(KeyCode.CONTROL);
        clickOn(cell("FT-101"));
        release(KeyCode.CONTROL);
        clickOn("#presetDay");
        clickOn("#presetHour");
        fx(() -> {
            dialog.mode.setValue(HistoryExport.Mode.BINNED);
            dialog.separator.setValue("Semicolon");
            dialog.decimal.setValue("Comma");
            return null;
        });
        doubleClickOn("#exportStep").eraseText(2).write("30m");
        clickOn("#exportChoose");
        assertThat(fx(() -> dialog.target.getText())).isEqualTo(file.toString());
        clickOn("#exportButton");

        waitUntil("the export is done", () -> fx(() -> dialog.status.getText().startsWith("Exported")));
        assertThat(fx(() -> dialog.status.getText())).isEqualTo("Exported 4 rows to " + file);
        assertThat(Files.readString(file)).isEqualTo("""
                start;tag;count;min;max;avg;first;last
                2026-11-25T12:00:00.000Z;FT-101;3;0,0;2,0;1,0;0,0;2,0
                2026-11-25T12:00:00.000Z;LT-101;30;0,0;14,5;7,25;0,0;14,5
                2026-11-25T12:30:00.000Z;FT-101;3;3,0;5,0;4,0;3,0;5,0
                2026-11-25T12:30:00.000Z;LT-101;30;15,0;29,5;22,25;15,0;29,5
                """);
        assertThat(fx(() -> dialog.export.isDisabled() || !dialog.cancel.isDisabled())).isFalse();
    }

    @Test
    void aProblemIsNamedInTheDialogAndNothingIsWritten() throws Exception {
        Path file = dir.resolve("export.csv");
        open(file);
        fx(() -> {
            dialog.decimal.setValue("Comma");
            return null;
        });
        clickOn("#exportChoose");
        clickOn("#exportButton");

        assertThat(fx(() -> dialog.status.getText())).startsWith("✕ a decimal comma needs another separator than"
                + " the comma");
        assertThat(file).doesNotExist();

        fx(() -> {
            dialog.decimal.setValue("Point");
            dialog.tags.getSelectionModel().clearSelection();
            dialog.tags.getSelectionModel().select("PT-101");
            return null;
        });
        clickOn("#exportButton");
        waitUntil("the export ends", () -> fx(() -> !dialog.export.isDisabled()));
        assertThat(fx(() -> dialog.status.getText())).isEqualTo("✕ no history yet for PT-101");
        assertThat(file).doesNotExist();
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
    }

    private Node cell(String text) throws Exception {
        return fx(() -> {
            for (Node n : dialog.tags.lookupAll(".list-cell")) {
                if (n instanceof ListCell<?> c && text.equals(((Labeled) c).getText())) {
                    return n;
                }
            }
            throw new AssertionError("no cell shows " + text);
        });
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
}
