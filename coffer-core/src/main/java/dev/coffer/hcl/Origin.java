package dev.coffer.hcl;

import java.util.Objects;

/** Where a setting was written: file name (as given to the loader) and 1-based line. */
public record Origin(String file, int line) {

    public Origin {
        Objects.requireNonNull(file, "file");
    }

    /** {@code FILE:LINE}, the prefix of every value error. */
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
