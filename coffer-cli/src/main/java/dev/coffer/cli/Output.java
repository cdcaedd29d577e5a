package dev.coffer.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.coffer.api.CofferClient;
import java.io.PrintStream;
import java.util.List;

/** Prints Vault-style tables and pretty JSON. */
final class Output {
    /** Vault pads the key column to its widest entry plus four spaces. */
    private static final int GAP = 4;
    private static final ObjectWriter JSON = CofferClient.mapper().writer()
            .with(SerializationFeature.INDENT_OUTPUT);

    private Output() {
    }

    /** A table with the {@code Key  Value} header, as {@code status} prints it. */
    static void keyValueTable(PrintStream out, List<Row> rows) {
        List<Row> all = new java.util.ArrayList<>();
        all.add(new Row("Key", "Value"));
        all.add(new Row("---", "-----"));
        all.addAll(rows);
        columns(out, all);
    }

    /** Two aligned columns without a header. */
    static void columns(PrintStream out, List<Row> rows) {
        int width = rows.stream().mapToInt(row -> row.key().length()).max().orElse(0) + GAP;
        for (Row row : rows) {
            out.println(row.key() + " ".repeat(width - row.key().length()) + row.value());
        }
    }

    static void json(PrintStream out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON output", e);
        }
    }

    /** One table line; empty values show as {@code n/a}. */
    record Row(String key, String value) {
        Row {
            value = value == null || value.isEmpty() ? "n/a" : value;
        }

        static Row of(String key, Object value) {
            return new Row(key, value == null ? null : String.valueOf(value));
        }
    }
}
