package dev.stator.historian;

import java.nio.file.Path;

/**
 * What {@code stator history backup} does, in a process of its own: {@code BackupChild DB ZIP} opens a reader, backs
 * the database up and prints {@code BACKUP throughServer=… bytes=…}; exit 4 and {@code ERROR …} on failure.
 */
public final class BackupChild {

    private BackupChild() {
    }

    public static void main(String[] args) throws Exception {
        try (HistoryReader reader = Historian.openForReading(Path.of(args[0]))) {
            long bytes = reader.backup(Path.of(args[1]));
            System.out.println("BACKUP throughServer=" + reader.throughServer() + " bytes=" + bytes);
        } catch (HistoryException e) {
            System.out.println("ERROR " + e.getMessage());
            System.exit(4);
        }
        System.exit(0);
    }
}
