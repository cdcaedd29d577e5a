package dev.coffer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.api.CofferApiException;
import dev.coffer.api.CofferClient;
import dev.coffer.api.LeaderStatus;
import dev.coffer.api.SealStatus;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The seal status table printed by {@code status} and {@code operator unseal}. */
final class StatusView {
    private static final LeaderStatus NO_HA = new LeaderStatus(false, false, "", "", "", false);

    private StatusView() {
    }

    /** Fetches the HA view; a sealed node cannot answer it (503), which is reported as HA unknown/disabled. */
    static LeaderStatus leader(CofferClient client, SealStatus seal) {
        try {
            return client.leader();
        } catch (CofferApiException e) {
            if (seal.sealed()) {
                return NO_HA;
            }
            throw e;
        }
    }

    static void print(PrintStream out, OutputFormat format, SealStatus seal, LeaderStatus leader) {
        print(out, format, seal, leader, null);
    }

    /** As above with the seal's health ({@code sys/seal-backend-status}, see {@link SealHealthRows}) or null. */
    static void print(PrintStream out, OutputFormat format, SealStatus seal, LeaderStatus leader, JsonNode sealHealth) {
        if (format == OutputFormat.JSON) {
            ObjectNode node = json(seal, leader);
            if (sealHealth != null) {
                node.set("seal_backend_status", sealHealth);
            }
            Output.json(out, node);
        } else {
            List<Output.Row> rows = rows(seal, leader);
            rows.addAll(rows.indexOf(rows.stream().filter(r -> r.key().equals("Sealed")).findFirst().orElseThrow()) + 1,
                    SealHealthRows.rows(sealHealth));
            Output.keyValueTable(out, rows);
        }
    }

    static ObjectNode json(SealStatus seal, LeaderStatus leader) {
        ObjectNode node = CofferClient.mapper().valueToTree(seal);
        node.put("ha_enabled", leader.haEnabled());
        node.put("is_self", leader.isSelf());
        node.put("active_time", nullToEmpty(leader.activeTime()));
        node.put("leader_address", nullToEmpty(leader.leaderAddress()));
        node.put("leader_cluster_address", nullToEmpty(leader.leaderClusterAddress()));
        return node;
    }

    static List<Output.Row> rows(SealStatus seal, LeaderStatus leader) {
        List<Output.Row> rows = new ArrayList<>();
        rows.add(Output.Row.of("Seal Type", seal.type()));
        if (seal.recoverySeal()) {
            rows.add(Output.Row.of("Recovery Seal Type", seal.recoverySealType()));
        }
        rows.add(Output.Row.of("Initialized", seal.initialized()));
        rows.add(Output.Row.of("Sealed", seal.sealed()));
        rows.add(Output.Row.of(seal.recoverySeal() ? "Total Recovery Shares" : "Total Shares", seal.n()));
        rows.add(Output.Row.of("Threshold", seal.t()));
        if (seal.sealed()) {
            rows.add(Output.Row.of("Unseal Progress", seal.progress() + "/" + seal.t()));
            rows.add(Output.Row.of("Unseal Nonce", seal.nonce()));
            if (seal.autoUnsealError() != null && !seal.autoUnsealError().isEmpty()) {
                rows.add(Output.Row.of("Auto Unseal Error", seal.autoUnsealError()));
            }
        }
        if (seal.migration()) {
            rows.add(Output.Row.of("Seal Migration in Progress", true));
        }
        rows.add(Output.Row.of("Version", seal.version()));
        rows.add(Output.Row.of("Build Date", seal.buildDate()));
        rows.add(Output.Row.of("Storage Type", seal.storageType()));
        if (!seal.sealed()) {
            rows.add(Output.Row.of("Cluster Name", seal.clusterName()));
            rows.add(Output.Row.of("Cluster ID", seal.clusterId()));
        }
        rows.addAll(haRows(leader));
        return rows;
    }

    private static List<Output.Row> haRows(LeaderStatus leader) {
        List<Output.Row> rows = new ArrayList<>();
        rows.add(Output.Row.of("HA Enabled", leader.haEnabled()));
        if (!leader.haEnabled()) {
            return rows;
        }
        rows.add(Output.Row.of("HA Cluster", leader.leaderClusterAddress()));
        rows.add(Output.Row.of("HA Mode", leader.isSelf() ? "active" : "standby"));
        if (leader.isSelf()) {
            rows.add(Output.Row.of("Active Since", leader.activeTime()));
        } else {
            rows.add(Output.Row.of("Active Node Address", leader.leaderAddress()));
        }
        return rows;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
