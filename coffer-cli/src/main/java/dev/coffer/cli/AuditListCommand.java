package dev.coffer.cli;

import dev.coffer.api.AuditDeviceInfo;
import dev.coffer.api.CofferClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coffer audit list [-detailed]}. */
@Command(name = "list", description = "List the enabled audit devices.")
final class AuditListCommand extends ClientCommand {
    @Option(names = {"-detailed", "--detailed"}, arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Also show replication and options.")
    boolean detailed;

    AuditListCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String action() {
        return "listing audit devices";
    }

    @Override
    protected int execute(CofferClient client, OutputFormat format) {
        List<AuditDeviceInfo> devices = client.auditList();
        if (format == OutputFormat.JSON) {
            Map<String, AuditDeviceInfo> byPath = new LinkedHashMap<>();
            devices.forEach(d -> byPath.put(d.path(), d));
            Output.json(ctx.out(), byPath);
            return 0;
        }
        if (devices.isEmpty()) {
            ctx.out().println("No audit devices are enabled.");
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(detailed ? List.of("Path", "Type", "Description", "Replication", "Options")
                : List.of("Path", "Type", "Description"));
        rows.add(detailed ? List.of("----", "----", "-----------", "-----------", "-------")
                : List.of("----", "----", "-----------"));
        for (AuditDeviceInfo d : devices) {
            String description = d.description().isEmpty() ? "n/a" : d.description();
            rows.add(detailed ? List.of(d.path(), d.type(), description, d.local() ? "local" : "replicated",
                    options(d.options())) : List.of(d.path(), d.type(), description));
        }
        table(rows);
        return 0;
    }

    private static String options(Map<String, String> options) {
        return options.isEmpty() ? "n/a" : new TreeMap<>(options).toString();
    }

    private void table(List<List<String>> rows) {
        int cols = rows.get(0).size();
        int[] width = new int[cols];
        for (List<String> r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                line.append(r.get(i));
                if (i < cols - 1) {
                    line.append(" ".repeat(width[i] - r.get(i).length() + 4));
                }
            }
            ctx.out().println(line);
        }
    }
}
