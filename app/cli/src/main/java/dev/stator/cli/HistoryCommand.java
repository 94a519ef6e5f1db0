package dev.stator.cli;

import picocli.CommandLine.Command;

/** {@code stator history}: work with the recorded history. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Work with the recorded history.",
        subcommands = {ExportCommand.class, ImportCommand.class, BackupCommand.class, JournalCommand.class})
final class HistoryCommand {
}
