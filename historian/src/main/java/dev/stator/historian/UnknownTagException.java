package dev.stator.historian;

import java.nio.file.Path;

/** A tag that has no history in this database: it was never recorded, or its name is misspelt. */
public class UnknownTagException extends HistoryException {

    private final String tag;

    public UnknownTagException(String tag, Path file) {
        super("no history for tag '" + tag + "' in " + file);
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
