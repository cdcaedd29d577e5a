package dev.coffer.seal;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A test KMS with the behaviour the core depends on: versioned keys (encrypt uses the newest, decrypt the
 * version the blob names), rotation, disabled versions, and a switch that makes every call fail with a
 * chosen reason. Shipped in the test-jar for the server and end-to-end tests; real KMS seals are tested
 * with their official SDKs against wire-level fakes in their own modules.
 */
public final class TestKms implements KmsWrapper {
    private final SecureRandom random = new SecureRandom();
    private final Map<String, byte[]> versions = new ConcurrentHashMap<>();
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();
    private volatile String current;
    private volatile SealException.Reason failure;
    private volatile int calls;
    private volatile long latencyMillis;

    public TestKms() {
        rotate();
    }

    /** Adds a new key version, used for every encryption from now on. Returns its id. */
    public synchronized String rotate() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        String id = "v" + (versions.size() + 1);
        versions.put(id, key);
        current = id;
        return id;
    }

    public void disable(String version) {
        disabled.add(version);
    }

    /** Every later call fails with {@code reason} until {@link #heal()}. */
    public void failWith(SealException.Reason reason) {
        failure = reason;
    }

    public void heal() {
        failure = null;
    }

    /** Every later call takes this long first (a KMS in another region). */
    public void latency(java.time.Duration latency) {
        latencyMillis = latency.toMillis();
    }

    public int calls() {
        return calls;
    }

    @Override
    public String type() {
        return "test-kms";
    }

    @Override
    public String keyId() {
        return current;
    }

    @Override
    public BlobInfo encrypt(byte[] plaintext, byte[] aad) throws SealException {
        check();
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        return new BlobInfo(type(), "aes-256-gcm", current, iv, null, gcm(Cipher.ENCRYPT_MODE, versions.get(current), iv, aad, plaintext));
    }

    @Override
    public byte[] decrypt(BlobInfo blob, byte[] aad) throws SealException {
        check();
        byte[] key = versions.get(blob.keyId());
        if (key == null || disabled.contains(blob.keyId())) {
            throw new SealException(SealException.Reason.KEY_NOT_FOUND, "test KMS key version " + blob.keyId()
                    + " is missing or disabled");
        }
        return gcm(Cipher.DECRYPT_MODE, key, blob.iv(), aad, blob.ciphertext());
    }

    @Override
    public void healthCheck() throws SealException {
        check();
    }

    private void check() throws SealException {
        calls++;
        if (latencyMillis > 0) {
            try {
                Thread.sleep(latencyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SealException(SealException.Reason.UNREACHABLE, "interrupted while waiting for the test KMS");
            }
        }
        SealException.Reason r = failure;
        if (r != null) {
            throw new SealException(r, "test KMS switched to fail: " + r);
        }
    }

    private static byte[] gcm(int mode, byte[] key, byte[] iv, byte[] aad, byte[] input) throws SealException {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            c.updateAAD(aad);
            return c.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new SealException(SealException.Reason.INTEGRITY, "test KMS could not " + (mode == Cipher.ENCRYPT_MODE
                    ? "encrypt" : "decrypt") + ": " + e.getMessage(), e);
        }
    }
}
