package dev.coffer.hcl;

import java.util.Objects;

/** Exact place of a token in a configuration file: file name, 1-based line and column. */
public record Position(String file, int line, int column) {

    public Position {
        Objects.requireNonNull(file, "file");
    }

    public Origin origin() {
        return new Origin(file, line);
    }

    /** {@code FILE:LINE:COL}, the prefix of every syntax error. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
