package dev.stator.historian;

import dev.stator.driver.api.TagValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The second process of the multi-process tests. Prints one status line per step on standard output.
 * <ul>
 *   <li>{@code export DB TAG OUT}: what {@code stator history export} does; exit 0, 3 when in use, 4 on error;</li>
 *   <li>{@code hold DB}: opens a reader and holds it until a line (or end of input) arrives on standard input;</li>
 *   <li>{@code write DB TAG COUNT}: a workstation that records COUNT samples, then holds until told to stop;</li>
 *   <li>{@code ingest DB TAGS}: a workstation that records without end, every 10 ms sample numbers i to i + 49 for
 *       each of TAGS tags (value i at {@code BASE + i ms}) and then prints {@code RECORDED i+49}, until killed;</li>
 *   <li>{@code journal DB}: a workstation that records without end, every 10 ms journal entries i to i + 19
 *       (source {@code J}, message {@code entry i}, at {@code BASE + i ms}) beside samples of one tag, and then
 *       prints {@code JOURNALED i+19}, until killed.</li>
 * </ul>
 */
public final class HistoryChild {

    private HistoryChild() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[1]);
        try {
            switch (args[0]) {
                case "export" -> export(db, args[2], Path.of(args[3]));
                case "hold" -> hold(db);
                case "write" -> write(db, args[2], Integer.parseInt(args[3]));
                case "ingest" -> ingest(db, Integer.parseInt(args[2]));
                case "journal" -> journal(db);
                default -> throw new IllegalArgumentException(args[0]);
            }
        } catch (HistoryInUseException e) {
            System.out.println("IN_USE " + e.getMessage());
            System.exit(3);
        } catch (HistoryException e) {
            System.out.println("ERROR " + e.getMessage());
            System.exit(4);
        }
        System.exit(0);
    }

    private static void export(Path db, String tag, Path out) throws HistoryException, IOException {
        try (HistoryReader reader = Historian.openForReading(db);
             Writer csv = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            System.out.println("OPEN throughServer=" + reader.throughServer());
            long rows = HistoryCsv.write(reader, tag, Instant.EPOCH, Instant.MAX, csv);
            System.out.println("EXPORTED " + rows);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void hold(Path db) throws HistoryException, IOException {
        try (HistoryReader reader = Historian.openForReading(db)) {
            System.out.println("HOLDING throughServer=" + reader.throughServer());
            waitForInput();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        System.out.println("CLOSED");
    }

    private static void write(Path db, String tag, int count) throws HistoryException, IOException,
            InterruptedException {
        try (Historian historian = Historian.open(db)) {
            for (int i = 0; i < count; i++) {
                historian.record(tag, TagValue.good((long) i, TestSupport.at(i)));
            }
            boolean flushed = historian.flush(Duration.ofSeconds(10));
            System.out.println("WRITTEN flushed=" + flushed + " shared=" + HistoryFile.sharedAccess());
            waitForInput();
        }
        System.out.println("CLOSED");
    }

    /** Where the sample times of {@code ingest} start: near the clock, as acquisition gives them. */
    static final Instant BASE = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS);

    private static void ingest(Path db, int tags) throws HistoryException, InterruptedException {
        // Commits only when 100,000 samples wait: a kill finds much of the history in the log alone.
        Historian historian = Historian.open(db, HistorianSettings.defaults().withPublishInterval(Duration.ofHours(1)));
        System.out.println("OPEN " + BASE);
        long i = 0;
        while (true) {
            for (int k = 0; k < 50; k++, i++) {
                for (int t = 0; t < tags; t++) {
                    historian.record("TAG-" + t, TagValue.good(i, BASE.plusMillis(i)));
                }
            }
            System.out.println("RECORDED " + (i - 1));
            Thread.sleep(10);
        }
    }

    private static void journal(Path db) throws HistoryException, InterruptedException {
        Historian historian = Historian.open(db, HistorianSettings.defaults().withPublishInterval(Duration.ofHours(1)));
        System.out.println("OPEN " + BASE);
        long i = 0;
        while (true) {
            for (int k = 0; k < 20; k++, i++) {
                historian.journal(new JournalEntry(BASE.plusMillis(i), JournalKind.OPERATOR, "J", "op", "write",
                        "entry " + i, String.valueOf(i - 1), String.valueOf(i)));
                historian.record("TAG", TagValue.good(i, BASE.plusMillis(i)));
            }
            System.out.println("JOURNALED " + (i - 1));
            Thread.sleep(10);
        }
    }

    private static void waitForInput() throws IOException {
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
}
