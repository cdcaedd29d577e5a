package dev.coffer.cli;

import java.util.Locale;

/** The {@code -format} values Coffer supports. */
enum OutputFormat {
    TABLE, JSON;

    /** Null or blank means the default, table. */
    static OutputFormat parse(String text) {
        if (text == null || text.isBlank()) {
            return TABLE;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "table" -> TABLE;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("unsupported format \"" + text + "\"; use table or json");
        };
    }
}
