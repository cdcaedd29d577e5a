package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The {@code secrets list} / {@code auth list} table: one row per mount, more columns with -detailed. */
final class MountOutput {
    private MountOutput() {
    }

    static void print(CliContext ctx, JsonNode data, boolean detailed) {
        List<String[]> rows = new ArrayList<>();
        rows.add(detailed ? new String[] {"Path", "Type", "Accessor", "Default TTL", "Max TTL", "Options", "Description"}
                : new String[] {"Path", "Type", "Accessor", "Description"});
        rows.add(rows.get(0).clone());
        for (int i = 0; i < rows.get(1).length; i++) {
            rows.get(1)[i] = "-".repeat(rows.get(0)[i].length());
        }
        data.properties().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> {
            JsonNode m = e.getValue();
            String desc = m.path("description").asText("");
            rows.add(detailed ? new String[] {e.getKey(), m.path("type").asText(), m.path("accessor").asText(),
                ttl(m.path("config").path("default_lease_ttl")), ttl(m.path("config").path("max_lease_ttl")),
                SecretView.text(m.path("options")), desc.isEmpty() ? "n/a" : desc}
                : new String[] {e.getKey(), m.path("type").asText(), m.path("accessor").asText(), desc.isEmpty() ? "n/a" : desc});
        });
        int[] width = new int[rows.get(0).length];
        rows.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        });
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : r[i] + " ".repeat(width[i] - r[i].length() + 4));
            }
            ctx.out().println(line.toString().stripTrailing());
        }
    }

    private static String ttl(JsonNode seconds) {
        return seconds.asLong() == 0 ? "system" : seconds.asLong() + "s";
    }
}
