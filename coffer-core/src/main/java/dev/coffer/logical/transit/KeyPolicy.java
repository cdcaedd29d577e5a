package dev.coffer.logical.transit;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.CofferException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A named transit key: its type, its settings and every version's material. Immutable: a change (rotate,
 * config) builds a new policy, which the {@link PolicyStore} writes before it replaces the cached one, so
 * readers never see a half-applied change and need no lock.
 */
record KeyPolicy(String name, KeyType type, boolean derived, boolean convergent, boolean exportable,
                 boolean allowPlaintextBackup, boolean deletionAllowed, int minDecryptionVersion,
                 int minEncryptionVersion, Duration autoRotatePeriod, SortedMap<Integer, KeyVersion> versions) {

    KeyPolicy {
        versions = Collections.unmodifiableSortedMap(new TreeMap<>(versions));
    }

    int latestVersion() {
        return versions.isEmpty() ? 0 : versions.lastKey();
    }

    /** The version to encrypt/sign with: the requested one (0 = latest), checked against min_encryption_version. */
    int encryptionVersion(int requested) {
        int latest = latestVersion();
        int v = requested == 0 ? latest : requested;
        if (v > latest || v < 1) {
            throw new CofferException.BadRequest("key \"" + name + "\" has no version " + v + "; its latest version is "
                    + latest);
        }
        if (minEncryptionVersion > 0 && v < minEncryptionVersion) {
            throw new CofferException.BadRequest("cannot use version " + v + " of key \"" + name + "\": it is below "
                    + "min_encryption_version " + minEncryptionVersion);
        }
        return v;
    }

    /** The material of a version usable for decryption/verification; errors name the limit that applies. */
    KeyVersion decryptionVersion(int v) {
        if (v < minDecryptionVersion) {
            throw new CofferException.BadRequest("ciphertext or signature version " + v + " is disallowed by policy: "
                    + "key \"" + name + "\" has min_decryption_version " + minDecryptionVersion);
        }
        KeyVersion kv = versions.get(v);
        if (kv == null) {
            throw new CofferException.BadRequest("key \"" + name + "\" has no version " + v + "; its latest version is "
                    + latestVersion());
        }
        return kv;
    }

    KeyVersion version(int v) {
        return versions.get(v);
    }

    KeyPolicy withVersion(int v, KeyVersion material) {
        SortedMap<Integer, KeyVersion> next = new TreeMap<>(versions);
        next.put(v, material);
        return new KeyPolicy(name, type, derived, convergent, exportable, allowPlaintextBackup, deletionAllowed,
                minDecryptionVersion, minEncryptionVersion, autoRotatePeriod, next);
    }

    KeyPolicy withConfig(int minDecryption, int minEncryption, boolean deletion, boolean export, Duration rotate) {
        return new KeyPolicy(name, type, derived, convergent, export, allowPlaintextBackup, deletion, minDecryption,
                minEncryption, rotate, versions);
    }

    /** Drops versions below {@code minAvailable} (trim); they can never decrypt again. */
    KeyPolicy trimmedBelow(int minAvailable) {
        SortedMap<Integer, KeyVersion> next = new TreeMap<>(versions);
        next.keySet().removeIf(v -> v < minAvailable);
        return new KeyPolicy(name, type, derived, convergent, exportable, allowPlaintextBackup, deletionAllowed,
                minDecryptionVersion, minEncryptionVersion, autoRotatePeriod, next);
    }

    int minAvailableVersion() {
        return versions.isEmpty() ? 0 : versions.firstKey();
    }

    boolean dueForRotation(Instant now) {
        if (autoRotatePeriod.isZero() || versions.isEmpty()) {
            return false;
        }
        return !versions.get(latestVersion()).created().plus(autoRotatePeriod).isAfter(now);
    }

    void wipe() {
        versions.values().forEach(KeyVersion::wipe);
    }

    /** The JSON document stored behind the barrier for this key. */
    record Stored(@JsonProperty("name") String name, @JsonProperty("type") String type,
                  @JsonProperty("derived") boolean derived, @JsonProperty("convergent_encryption") boolean convergent,
                  @JsonProperty("exportable") boolean exportable,
                  @JsonProperty("allow_plaintext_backup") boolean allowPlaintextBackup,
                  @JsonProperty("deletion_allowed") boolean deletionAllowed,
                  @JsonProperty("min_decryption_version") int minDecryptionVersion,
                  @JsonProperty("min_encryption_version") int minEncryptionVersion,
                  @JsonProperty("auto_rotate_period_seconds") long autoRotatePeriodSeconds,
                  @JsonProperty("versions") Map<String, KeyVersion.Stored> versions) {
    }

    Stored toStored() {
        Map<String, KeyVersion.Stored> out = new TreeMap<>();
        versions.forEach((v, kv) -> out.put(Integer.toString(v), kv.toStored()));
        return new Stored(name, type.apiName(), derived, convergent, exportable, allowPlaintextBackup, deletionAllowed,
                minDecryptionVersion, minEncryptionVersion, autoRotatePeriod.toSeconds(), out);
    }

    static KeyPolicy fromStored(Stored s) {
        KeyType type = KeyType.parse(s.type());
        SortedMap<Integer, KeyVersion> vs = new TreeMap<>();
        s.versions().forEach((v, kv) -> vs.put(Integer.parseInt(v), KeyVersion.fromStored(type, kv)));
        return new KeyPolicy(s.name(), type, s.derived(), s.convergent(), s.exportable(), s.allowPlaintextBackup(),
                s.deletionAllowed(), s.minDecryptionVersion(), s.minEncryptionVersion(),
                Duration.ofSeconds(s.autoRotatePeriodSeconds()), vs);
    }
}
