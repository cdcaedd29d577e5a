package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Prints secrets and metadata the way Vault's CLI does: section headers over Key/Value tables. */
final class SecretView {
    private SecretView() {
    }

    /** {@code ==== Title ====} centred over the width of the table under it, as Vault draws it. */
    static void header(PrintStream out, String title, int width) {
        int pad = Math.max(2, (width - title.length() - 2) / 2);
        out.println("=".repeat(pad) + " " + title + " " + "=".repeat(pad));
    }

    static void table(PrintStream out, String title, JsonNode fields) {
        List<Output.Row> rows = rows(fields);
        if (title != null) {
            int width = rows.stream().mapToInt(r -> r.key().length() + 4 + r.value().length()).max().orElse(10);
            header(out, title, Math.min(width, 30));
        }
        Output.keyValueTable(out, rows);
    }

    static List<Output.Row> rows(JsonNode fields) {
        List<Output.Row> rows = new ArrayList<>();
        fields.properties().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> rows.add(new Output.Row(e.getKey(), text(e.getValue()))));
        return rows;
    }

    /** Strings as they are, JSON null as {@code <nil>}, objects and arrays as compact JSON. */
    static String text(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "<nil>";
        }
        if (v.isObject() && v.isEmpty()) {
            return "map[]";
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    /** {@code -field=NAME}: prints only that value, or fails naming the fields that exist. */
    static int field(PrintStream out, JsonNode fields, String name) {
        JsonNode v = fields.get(name);
        if (v == null) {
            List<String> names = new ArrayList<>();
            fields.fieldNames().forEachRemaining(names::add);
            throw new CommandFailure("Error: field \"" + name + "\" not present in secret; it has: " + String.join(", ",
                    names));
        }
        out.println(v.isValueNode() ? v.asText() : v.toString());
        return 0;
    }
}
