package dev.coffer.logical.transit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/** {@code keys} (list), {@code keys/:name} (create, read, delete) and its {@code config}, {@code rotate}, {@code trim}. */
final class KeyEndpoints {
    private static final Duration MIN_AUTO_ROTATE = Duration.ofHours(1);

    private final PolicyStore store;

    KeyEndpoints(PolicyStore store) {
        this.store = store;
    }

    static KeyPolicy template(String name, KeyType type, boolean derived, boolean convergent, boolean exportable,
                              boolean plaintextBackup, Duration autoRotate) {
        if (derived && !type.supportsDerivation()) {
            throw new CofferException.BadRequest("key type " + type.apiName() + " does not support derivation; create it "
                    + "without \"derived\" or use an AES or ChaCha20 type");
        }
        if (convergent && !derived) {
            throw new CofferException.BadRequest("convergent_encryption requires derived to be true");
        }
        return new KeyPolicy(name, type, derived, convergent, exportable, plaintextBackup, false, 1, 0,
                checkAutoRotate(autoRotate), new TreeMap<>());
    }

    LogicalResponse list() {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        List<String> names = store.list();
        if (names.isEmpty()) {
            throw new CofferException.NotFound("");
        }
        names.forEach(data.putArray("keys")::add);
        return LogicalResponse.ok(data);
    }

    LogicalResponse create(LogicalRequest req, String name) {
        PolicyStore.checkName(name);
        JsonNode b = req.data();
        KeyType type = KeyType.parse(Objects.requireNonNullElse(Fields.string(b, "type"), "aes256-gcm96"));
        KeyPolicy template = template(name, type, Fields.bool(b, "derived", false),
                Fields.bool(b, "convergent_encryption", false), Fields.bool(b, "exportable", false),
                Fields.bool(b, "allow_plaintext_backup", false),
                Objects.requireNonNullElse(Fields.duration(b, "auto_rotate_period"), Duration.ZERO));
        boolean existed = store.find(name).isPresent();
        LogicalResponse res = LogicalResponse.ok(KeyInfo.describe(store.createIfAbsent(name, template)));
        return existed ? res.withWarning("key \"" + name + "\" already exists; its settings were not changed (use "
                + "keys/" + name + "/config)") : res;
    }

    LogicalResponse read(String name) {
        KeyPolicy p = store.find(name).orElseThrow(() -> new CofferException.NotFound(""));
        return LogicalResponse.ok(KeyInfo.describe(p));
    }

    LogicalResponse delete(String name) {
        store.delete(name);
        return LogicalResponse.noContent();
    }

    LogicalResponse rotate(String name) {
        return LogicalResponse.ok(KeyInfo.describe(store.rotate(name)));
    }

    LogicalResponse config(LogicalRequest req, String name) {
        JsonNode b = req.data();
        KeyPolicy updated = store.update(name, p -> {
            int minDec = Fields.integer(b, "min_decryption_version", p.minDecryptionVersion());
            int minEnc = Fields.integer(b, "min_encryption_version", p.minEncryptionVersion());
            checkVersions(p, minDec == 0 ? 1 : minDec, minEnc);
            boolean exportable = Fields.bool(b, "exportable", p.exportable());
            if (p.exportable() && !exportable) {
                throw new CofferException.BadRequest("exportable cannot be turned off once it is on");
            }
            Duration rotate = Fields.duration(b, "auto_rotate_period");
            return p.withConfig(minDec == 0 ? 1 : minDec, minEnc, Fields.bool(b, "deletion_allowed", p.deletionAllowed()),
                    exportable, rotate == null ? p.autoRotatePeriod() : checkAutoRotate(rotate));
        });
        return LogicalResponse.ok(KeyInfo.describe(updated));
    }

    LogicalResponse trim(LogicalRequest req, String name) {
        int minAvailable = Fields.integer(req.data(), "min_available_version", 0);
        KeyPolicy updated = store.update(name, p -> {
            if (minAvailable < 1) {
                throw new CofferException.BadRequest("min_available_version is required and must be 1 or greater");
            }
            if (minAvailable > p.minDecryptionVersion()) {
                throw new CofferException.BadRequest("min_available_version " + minAvailable + " is above "
                        + "min_decryption_version " + p.minDecryptionVersion() + "; raise min_decryption_version first");
            }
            if (p.minEncryptionVersion() > 0 && minAvailable > p.minEncryptionVersion()) {
                throw new CofferException.BadRequest("min_available_version must not exceed min_encryption_version "
                        + p.minEncryptionVersion());
            }
            return p.trimmedBelow(minAvailable);
        });
        return LogicalResponse.ok(KeyInfo.describe(updated));
    }

    private static void checkVersions(KeyPolicy p, int minDec, int minEnc) {
        int latest = p.latestVersion();
        if (minDec < 0 || minDec > latest) {
            throw new CofferException.BadRequest("min_decryption_version must be between 1 and the latest version " + latest);
        }
        if (minDec < p.minAvailableVersion()) {
            throw new CofferException.BadRequest("min_decryption_version cannot go below the oldest kept version "
                    + p.minAvailableVersion() + " (older versions were trimmed)");
        }
        if (minEnc < 0 || minEnc > latest) {
            throw new CofferException.BadRequest("min_encryption_version must be 0 (latest) or between 1 and " + latest);
        }
        if (minEnc > 0 && minEnc < minDec) {
            throw new CofferException.BadRequest("min_encryption_version " + minEnc + " must not be below "
                    + "min_decryption_version " + minDec);
        }
    }

    private static Duration checkAutoRotate(Duration d) {
        if (d.isNegative() || (!d.isZero() && d.compareTo(MIN_AUTO_ROTATE) < 0)) {
            throw new CofferException.BadRequest("auto_rotate_period must be 0 (disabled) or at least 1h");
        }
        return d;
    }
}
