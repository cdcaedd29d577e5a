package dev.coffer.core;

import dev.coffer.CofferException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * {@code sys/rekey/*}: replaces the unseal key shares. A threshold of the current shares authorizes it; the
 * root key and the data are untouched (only the key wrapping the root key changes). All state is guarded by
 * the owning {@link Core}'s monitor, so a seal and a rekey can never interleave (and never deadlock).
 */
public final class RekeyFlow {
    private final SecureRandom random;
    private final boolean recovery;
    private Core core;
    private Pending pending;

    /** @param recovery rekeys the recovery keys of an auto seal instead of the unseal keys */
    RekeyFlow(SecureRandom random, boolean recovery) {
        this.random = random;
        this.recovery = recovery;
    }

    private String kind() {
        return recovery ? "recovery" : "unseal";
    }

    private UnsealKeysEntry currentShares() {
        return recovery ? core.recoveryEntry() : core.unsealKeysEntry();
    }

    void attach(Core owner) {
        this.core = owner;
    }

    private record Pending(String nonce, int shares, int threshold, ShareCollector collected) {
    }

    /** Progress of a rekey, as {@code GET sys/rekey/init} shows it. Keys are present once complete. */
    public record Status(boolean started, String nonce, int newShares, int newThreshold, int progress, int required,
                         List<byte[]> keys) {
    }

    public Status start(int shares, int threshold) {
        synchronized (core) {
            requireUnsealed();
            requireMatchingSeal();
            if (pending != null) {
                throw new CofferException.Conflict("a rekey is already in progress (nonce " + pending.nonce()
                        + "); finish it or cancel it with DELETE sys/rekey/init");
            }
            ShamirKeys.validate(shares, threshold);
            pending = new Pending(ShareCollector.newNonce(random), shares, threshold, new ShareCollector());
            return status();
        }
    }

    public Status status() {
        synchronized (core) {
            int required = core.initialized() && matchesSeal() ? currentShares().secretThreshold() : 0;
            if (pending == null) {
                return new Status(false, "", 0, 0, 0, required, List.of());
            }
            return new Status(true, pending.nonce(), pending.shares(), pending.threshold(), pending.collected().progress(),
                    required, List.of());
        }
    }

    public void cancel() {
        synchronized (core) {
            if (pending != null) {
                pending.collected().reset();
                pending = null;
            }
        }
    }

    /** Adds one current unseal key; when the threshold is reached, issues the new shares. */
    public Status update(String key, String nonce) {
        synchronized (core) {
            requireUnsealed();
            if (pending == null) {
                throw new CofferException.BadRequest("no rekey is in progress; start one with PUT sys/rekey/init");
            }
            if (nonce == null || !nonce.equals(pending.nonce())) {
                throw new CofferException.BadRequest("nonce does not match the rekey in progress; read it from GET sys/rekey/init");
            }
            UnsealKeysEntry entry = currentShares();
            byte[] share = KeyShares.decode(key);
            try {
                ShamirKeys.checkShare(entry, share, pending.collected().progress(), kind());
                pending.collected().add(share, random);
            } finally {
                Arrays.fill(share, (byte) 0);
            }
            if (pending.collected().progress() < entry.secretThreshold()) {
                return status();
            }
            Pending done = pending;
            pending = null;
            try {
                List<byte[]> keys = recovery
                        ? core.applyRecoveryRekey(done.collected().shares(), done.shares(), done.threshold())
                        : core.applyRekey(done.collected().shares(), done.shares(), done.threshold());
                return new Status(true, done.nonce(), done.shares(), done.threshold(), 0, entry.secretThreshold(), keys);
            } finally {
                done.collected().reset();
            }
        }
    }

    private boolean matchesSeal() {
        return recovery == core.autoSealWrapper().isPresent();
    }

    private void requireMatchingSeal() {
        if (!matchesSeal()) {
            throw new CofferException.BadRequest(recovery
                    ? "this vault uses unseal keys (shamir seal), not recovery keys: rekey them with sys/rekey/init"
                    : "this vault uses the " + core.sealType() + " seal, so its root key is not split into unseal keys;"
                            + " rekey the recovery keys instead (sys/rekey-recovery-key/init, CLI -target=recovery)");
        }
    }

    private void requireUnsealed() {
        if (core.sealed()) {
            throw new CofferException.Sealed("Vault is sealed");
        }
    }
}
