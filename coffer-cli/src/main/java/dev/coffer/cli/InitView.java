package dev.coffer.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.api.CofferClient;
import dev.coffer.api.InitRequest;
import dev.coffer.api.InitResponse;
import java.io.PrintStream;
import java.util.List;

/** Output of {@code operator init}: the one place, with rekey, where key shares and the root token are shown. */
final class InitView {
    private InitView() {
    }

    static void printTable(PrintStream out, InitRequest request, InitResponse response) {
        printKeys(out, "Unseal Key", response.keysBase64());
        printKeys(out, "Recovery Key", response.recoveryKeysBase64());
        out.println();
        out.println("Initial Root Token: " + response.rootToken());
        out.println();
        if (response.keysBase64().isEmpty()) {
            printAutoSealAdvice(out, value(request.recoveryShares()), value(request.recoveryThreshold()));
        } else {
            printShamirAdvice(out, response.keysBase64().size(), value(request.secretThreshold()));
        }
    }

    static ObjectNode json(InitRequest request, InitResponse response) {
        ObjectNode node = CofferClient.mapper().createObjectNode();
        node.set("unseal_keys_b64", CofferClient.mapper().valueToTree(response.keysBase64()));
        node.set("unseal_keys_hex", CofferClient.mapper().valueToTree(response.keys()));
        node.put("unseal_shares", value(request.secretShares()));
        node.put("unseal_threshold", value(request.secretThreshold()));
        node.set("recovery_keys_b64", CofferClient.mapper().valueToTree(response.recoveryKeysBase64()));
        node.set("recovery_keys_hex", CofferClient.mapper().valueToTree(response.recoveryKeys()));
        node.put("recovery_keys_shares", value(request.recoveryShares()));
        node.put("recovery_keys_threshold", value(request.recoveryThreshold()));
        node.put("root_token", response.rootToken());
        return node;
    }

    private static void printKeys(PrintStream out, String label, List<String> keys) {
        for (int i = 0; i < keys.size(); i++) {
            out.println(label + " " + (i + 1) + ": " + keys.get(i));
        }
    }

    private static void printShamirAdvice(PrintStream out, int shares, int threshold) {
        out.println("Vault initialized with " + shares + " key shares and a key threshold of " + threshold + ".");
        out.println("This is the only time these key shares are shown: the server keeps no copy and cannot");
        out.println("recreate them. Give each share to a different trusted person and keep it offline; no single");
        out.println("person should hold enough shares to unseal alone.");
        out.println();
        out.println("The vault is sealed now and after every restart. To unseal it, " + threshold + " of these");
        out.println("shares must be entered with \"coffer operator unseal\".");
        out.println();
        out.println("The root token can do anything. Use it for first-time setup only, then revoke it.");
    }

    private static void printAutoSealAdvice(PrintStream out, int shares, int threshold) {
        out.println("Vault initialized with " + shares + " recovery key shares and a key threshold of "
                + threshold + ".");
        out.println("The configured seal unseals the vault automatically; recovery keys cannot unseal it. They");
        out.println("authorize sensitive operations such as rekeying, so keep each share with a different");
        out.println("trusted person, offline. This is the only time they are shown.");
        out.println();
        out.println("The root token can do anything. Use it for first-time setup only, then revoke it.");
    }

    private static int value(Integer number) {
        return number == null ? 0 : number;
    }
}
