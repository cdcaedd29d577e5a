package dev.coffer.barrier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import dev.coffer.storage.StorageBackend;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * {@link SecurityBarrier} with AES-256-GCM (format in {@link AesGcm}). The root key decrypts the keyring
 * stored at {@link StoragePaths#KEYRING}; keyring terms decrypt everything else.
 *
 * <p>Concurrency: data operations hold the read lock only while they use a key (never during storage I/O);
 * {@link #seal()} and key replacement take the write lock before zeroing keys, so no operation ever encrypts
 * with a half-wiped key. Administrative operations (initialize, unseal, rotate, rekey, reload, rotation
 * config) are serialized by this object's monitor.
 *
 * <p>A wrong root key on {@link #unseal} is reported as {@link CofferException.Internal}: the seal layer has
 * already verified the unseal keys (GCM tag of the wrapped root key), so a root key that then fails to
 * decrypt the keyring means the stored key hierarchy is inconsistent, not that the caller typed a bad key.
 *
 * <p>Known limit: the JCA keeps an expanded copy of the last key inside each cached {@link javax.crypto.Cipher};
 * those copies are outside this class's reach and are overwritten only when the cipher is next initialized.
 */
public final class AesGcmBarrier implements SecurityBarrier {

    static final int ROOT_KEY_LENGTH = 32;
    static final Duration MIN_ROTATION_INTERVAL = Duration.ofHours(24);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Everything that exists only while unsealed; replaced as a whole so readers see a consistent set. */
    private record Unsealed(TermKey rootKey, Keyring keyring, RotationConfig rotation) {
    }

    private final StorageBackend storage;
    private final SecureRandom random;
    private final Clock clock;
    private final ReentrantReadWriteLock keyLock = new ReentrantReadWriteLock();
    private volatile Unsealed state;
    /** The active term's encryption count as last written to storage; see {@link #rotateIfDue()}. */
    private long persistedEncryptions;

    public AesGcmBarrier(StorageBackend storage) {
        this(storage, new SecureRandom(), Clock.systemUTC());
    }

    public AesGcmBarrier(StorageBackend storage, SecureRandom random, Clock clock) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean initialized() {
        return storage.get(StoragePaths.KEYRING).isPresent();
    }

    @Override
    public synchronized void initialize(byte[] rootKey) {
        checkRootKey(rootKey);
        if (initialized()) {
            throw new CofferException.Conflict("the barrier is already initialized: a keyring exists at "
                    + StoragePaths.KEYRING + "; initializing again would orphan all stored data");
        }
        byte[] firstKey = randomKey();
        Keyring keyring = Keyring.create(firstKey, clock.instant());
        Arrays.fill(firstKey, (byte) 0);
        TermKey root = new TermKey(rootKey.clone());
        try {
            writeKeyring(root, keyring);
            writeRootKey(keyring, root);
        } finally {
            keyring.wipe();
            root.destroy();
        }
    }

    @Override
    public synchronized void unseal(byte[] rootKey) {
        checkRootKey(rootKey);
        if (state != null) {
            return;
        }
        byte[] stored = storage.get(StoragePaths.KEYRING).orElseThrow(() -> new CofferException.Uninitialized(
                "the barrier is not initialized: initialize the server before unsealing"));
        TermKey root = new TermKey(rootKey.clone());
        Keyring keyring;
        try {
            keyring = decryptKeyring(root, stored);
        } catch (CofferException.Internal e) {
            root.destroy();
            throw new CofferException.Internal("the root key does not decrypt the keyring at " + StoragePaths.KEYRING
                    + ": the unsealed root key and the stored keyring do not belong together (storage restored from"
                    + " another cluster or corrupt); restore a matching backup", e);
        }
        try {
            state = new Unsealed(root, keyring, readRotationConfig(keyring));
            persistedEncryptions = keyring.activeEncryptions();
        } catch (RuntimeException e) {
            root.destroy();
            keyring.wipe();
            throw e;
        }
    }

    @Override
    public synchronized void seal() {
        keyLock.writeLock().lock();
        try {
            Unsealed s = state;
            state = null;
            if (s != null) {
                s.rootKey().destroy();
                s.keyring().wipe();
            }
        } finally {
            keyLock.writeLock().unlock();
        }
    }

    @Override
    public boolean sealed() {
        return state == null;
    }

    @Override
    public Optional<byte[]> get(String path) {
        requireUnsealed();
        Optional<byte[]> stored = storage.get(path);
        if (stored.isEmpty()) {
            return stored;
        }
        keyLock.readLock().lock();
        try {
            return Optional.of(decrypt(requireUnsealed().keyring(), path, stored.get()));
        } finally {
            keyLock.readLock().unlock();
        }
    }

    @Override
    public void put(String path, byte[] value) {
        checkWritable(path);
        Objects.requireNonNull(value, "value");
        storage.put(path, encrypt(path, value));
    }

    @Override
    public void delete(String path) {
        checkWritable(path);
        requireUnsealed();
        storage.delete(path);
    }

    @Override
    public boolean atomicBatches() {
        return storage.atomicBatches();
    }

    @Override
    public void writeAll(List<StorageBackend.Write> writes) {
        List<StorageBackend.Write> encrypted = new ArrayList<>(writes.size());
        for (StorageBackend.Write write : writes) {
            checkWritable(write.key());
            encrypted.add(write.isDelete() ? write : StorageBackend.Write.put(write.key(), encrypt(write.key(), write.value())));
        }
        requireUnsealed();
        storage.writeAll(encrypted);
    }

    @Override
    public List<String> list(String prefix) {
        requireUnsealed();
        return storage.list(prefix);
    }

    @Override
    public byte[] encryptDetached(String path, byte[] value) {
        Objects.requireNonNull(value, "value");
        return encrypt(Objects.requireNonNull(path, "path"), value);
    }

    @Override
    public byte[] decryptDetached(String path, byte[] stored) {
        requireUnsealed();
        keyLock.readLock().lock();
        try {
            return decrypt(requireUnsealed().keyring(), Objects.requireNonNull(path, "path"), stored);
        } finally {
            keyLock.readLock().unlock();
        }
    }

    @Override
    public synchronized int rotate() {
        Unsealed s = requireUnsealed();
        byte[] newKey = randomKey();
        Keyring next;
        try {
            next = s.keyring().withNewTerm(newKey, clock.instant());
        } finally {
            Arrays.fill(newKey, (byte) 0);
        }
        // Persist before switching: if storage fails, memory still matches what is stored.
        writeKeyring(s.rootKey(), next);
        writeRootKey(next, s.rootKey());
        state = new Unsealed(s.rootKey(), next, s.rotation());
        return next.activeTerm();
    }

    /**
     * Re-reads the keyring. Normally the in-memory root key decrypts it. If it does not, another node replaced
     * the root key ({@link #rekeyRootKey}); that node also rewrote {@link StoragePaths#ROOT_KEY} under its
     * newest keyring term, so this node decrypts the new root key with a term it already holds and then reads
     * the keyring with it. If that term is unknown too (the other node rotated and rekeyed since this node last
     * loaded), the node cannot catch up by itself and must be sealed and unsealed again.
     */
    @Override
    public synchronized void reloadKeyring() {
        Unsealed s = requireUnsealed();
        byte[] stored = storage.get(StoragePaths.KEYRING).orElseThrow(() -> new CofferException.Internal(
                "the keyring disappeared from " + StoragePaths.KEYRING + " while unsealed: storage was wiped or replaced", null));
        TermKey root = s.rootKey();
        Keyring loaded;
        try {
            loaded = decryptKeyring(root, stored);
        } catch (CofferException.Internal rootKeyChanged) {
            root = readNewRootKey(s.keyring());
            loaded = decryptKeyringWithNewRoot(root, stored);
        }
        Keyring merged = s.keyring().adopt(loaded);
        RotationConfig rotation = readRotationConfig(merged);
        replaceState(s, new Unsealed(root, merged, rotation));
    }

    @Override
    public synchronized void rekeyRootKey(byte[] newRootKey) {
        checkRootKey(newRootKey);
        Unsealed s = requireUnsealed();
        TermKey newRoot = new TermKey(newRootKey.clone());
        try {
            writeKeyring(newRoot, s.keyring());
            writeRootKey(s.keyring(), newRoot);
        } catch (RuntimeException e) {
            newRoot.destroy();
            throw e;
        }
        replaceState(s, new Unsealed(newRoot, s.keyring(), s.rotation()));
    }

    @Override
    public KeyStatus keyStatus() {
        Keyring keyring = requireUnsealed().keyring();
        return new KeyStatus(keyring.activeTerm(), keyring.activeInstallTime(), keyring.activeEncryptions());
    }

    @Override
    public RotationConfig rotationConfig() {
        return requireUnsealed().rotation();
    }

    @Override
    public synchronized void setRotationConfig(RotationConfig config) {
        checkRotationConfig(config);
        Unsealed s = requireUnsealed();
        storage.put(StoragePaths.ROTATION_CONFIG, encrypt(StoragePaths.ROTATION_CONFIG, rotationConfigJson(config)));
        state = new Unsealed(s.rootKey(), s.keyring(), config);
    }

    @Override
    public synchronized boolean rotateIfDue() {
        Unsealed s = requireUnsealed();
        RotationConfig config = s.rotation();
        if (!config.enabled()) {
            return false;
        }
        Keyring keyring = s.keyring();
        boolean countReached = keyring.activeEncryptions() >= config.maxOperations();
        boolean ageReached = !config.interval().isZero()
                && !Duration.between(keyring.activeInstallTime(), clock.instant()).minus(config.interval()).isNegative();
        if (countReached || ageReached) {
            rotate();
            return true;
        }
        if (keyring.activeEncryptions() != persistedEncryptions) {
            // the count lives in the keyring entry: save it now and then, or restarts would reset it and
            // rotation by operation count would never come
            writeKeyring(s.rootKey(), keyring);
        }
        return false;
    }

    // ---- encryption helpers -------------------------------------------------------------------------------

    /** Encrypts under the active term while holding the read lock, so seal cannot wipe the key meanwhile. */
    private byte[] encrypt(String path, byte[] value) {
        keyLock.readLock().lock();
        try {
            Keyring keyring = requireUnsealed().keyring();
            byte[] out = AesGcm.encrypt(keyring.activeKey(), keyring.activeTerm(), path, value, random);
            keyring.countEncryption();
            return out;
        } finally {
            keyLock.readLock().unlock();
        }
    }

    private static byte[] decrypt(Keyring keyring, String path, byte[] stored) {
        int term = AesGcm.term(path, stored);
        TermKey key = keyring.key(term);
        if (key == null) {
            throw new CofferException.Internal("the value at '" + path + "' was encrypted with keyring term " + term
                    + ", which this node does not have (terms " + keyring.termNumbers() + "): reload the keyring", null);
        }
        return AesGcm.decrypt(key, path, stored);
    }

    private void writeKeyring(TermKey root, Keyring keyring) {
        long count = keyring.activeEncryptions();
        byte[] json = keyring.toJson();
        try {
            storage.put(StoragePaths.KEYRING, AesGcm.encrypt(root, AesGcm.ROOT_KEY_TERM, StoragePaths.KEYRING, json, random));
            persistedEncryptions = count;
        } finally {
            Arrays.fill(json, (byte) 0);
        }
    }

    private static Keyring decryptKeyring(TermKey root, byte[] stored) {
        if (AesGcm.term(StoragePaths.KEYRING, stored) != AesGcm.ROOT_KEY_TERM) {
            throw new CofferException.Internal("the entry at " + StoragePaths.KEYRING + " is not a keyring (wrong term)", null);
        }
        byte[] json = AesGcm.decrypt(root, StoragePaths.KEYRING, stored);
        try {
            return Keyring.fromJson(json);
        } finally {
            Arrays.fill(json, (byte) 0);
        }
    }

    private void writeRootKey(Keyring keyring, TermKey root) {
        storage.put(StoragePaths.ROOT_KEY, AesGcm.encrypt(keyring.activeKey(), keyring.activeTerm(),
                StoragePaths.ROOT_KEY, root.secretBytesUnsafe(), random));
    }

    /** Reads the root key another node stored under its newest term (see {@link #reloadKeyring}). */
    private TermKey readNewRootKey(Keyring keyring) {
        byte[] stored = storage.get(StoragePaths.ROOT_KEY).orElseThrow(() -> new CofferException.Internal(
                "the root key no longer decrypts the keyring and " + StoragePaths.ROOT_KEY + " is missing: seal and"
                        + " unseal this node with the current unseal keys", null));
        try {
            byte[] rootBytes = decrypt(keyring, StoragePaths.ROOT_KEY, stored);
            if (rootBytes.length != ROOT_KEY_LENGTH) {
                Arrays.fill(rootBytes, (byte) 0);
                throw new CofferException.Internal("the entry at " + StoragePaths.ROOT_KEY + " is not a root key", null);
            }
            return new TermKey(rootBytes);
        } catch (CofferException.Internal e) {
            throw new CofferException.Internal("the keyring was re-encrypted under a root key this node cannot learn"
                    + " from " + StoragePaths.ROOT_KEY + " (it was rotated and rekeyed since this node loaded it): seal"
                    + " and unseal this node with the current unseal keys", e);
        }
    }

    private static Keyring decryptKeyringWithNewRoot(TermKey newRoot, byte[] stored) {
        try {
            return decryptKeyring(newRoot, stored);
        } catch (CofferException.Internal e) {
            newRoot.destroy();
            throw new CofferException.Internal("neither the current root key nor the one stored at "
                    + StoragePaths.ROOT_KEY + " decrypts the keyring: storage is inconsistent; seal and unseal this node", e);
        }
    }

    /** Swaps in {@code next} and zeroes the keys of {@code previous} that {@code next} no longer uses. */
    private void replaceState(Unsealed previous, Unsealed next) {
        List<TermKey> unused = new ArrayList<>(previous.keyring().keysDroppedBy(next.keyring()));
        if (previous.rootKey() != next.rootKey()) {
            unused.add(previous.rootKey());
        }
        keyLock.writeLock().lock();
        try {
            state = next;
            unused.forEach(TermKey::destroy);
        } finally {
            keyLock.writeLock().unlock();
        }
    }

    // ---- rotation config ----------------------------------------------------------------------------------

    private RotationConfig readRotationConfig(Keyring keyring) {
        Optional<byte[]> stored = storage.get(StoragePaths.ROTATION_CONFIG);
        if (stored.isEmpty()) {
            return RotationConfig.defaults();
        }
        byte[] json = decrypt(keyring, StoragePaths.ROTATION_CONFIG, stored.get());
        try {
            JsonNode node = JSON.readTree(json);
            return new RotationConfig(node.get("max_operations").longValue(),
                    Duration.parse(node.get("interval").textValue()), node.get("enabled").booleanValue());
        } catch (IOException | RuntimeException e) {
            throw new CofferException.Internal("the rotation config at " + StoragePaths.ROTATION_CONFIG
                    + " is not valid JSON: storage is corrupt", e);
        }
    }

    private static byte[] rotationConfigJson(RotationConfig config) {
        ObjectNode node = JSON.createObjectNode();
        node.put("max_operations", config.maxOperations());
        node.put("interval", config.interval().toString());
        node.put("enabled", config.enabled());
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("serializing a JSON tree to bytes cannot fail", e);
        }
    }

    private static void checkRotationConfig(RotationConfig config) {
        Objects.requireNonNull(config, "config");
        if (config.maxOperations() < 1 || config.maxOperations() > RotationConfig.DEFAULT_MAX_OPERATIONS) {
            throw new CofferException.BadRequest("max_operations must be between 1 and "
                    + RotationConfig.DEFAULT_MAX_OPERATIONS + ", got " + config.maxOperations());
        }
        Duration interval = Objects.requireNonNull(config.interval(), "interval");
        if (interval.isNegative() || (!interval.isZero() && interval.compareTo(MIN_ROTATION_INTERVAL) < 0)) {
            throw new CofferException.BadRequest("interval must be 0 (off) or at least 24h, got " + interval);
        }
    }

    // ---- checks -------------------------------------------------------------------------------------------

    private Unsealed requireUnsealed() {
        Unsealed s = state;
        if (s == null) {
            throw new CofferException.Sealed("the barrier is sealed: unseal the server first");
        }
        return s;
    }

    private static void checkWritable(String path) {
        Objects.requireNonNull(path, "path");
        if (StoragePaths.RESERVED.contains(path)) {
            throw new CofferException.BadRequest("'" + path + "' is reserved for the seal and keyring and cannot be"
                    + " written through the barrier");
        }
    }

    private static void checkRootKey(byte[] rootKey) {
        if (rootKey == null || rootKey.length != ROOT_KEY_LENGTH) {
            throw new CofferException.BadRequest("the root key must be " + ROOT_KEY_LENGTH + " bytes, got "
                    + (rootKey == null ? 0 : rootKey.length));
        }
    }

    private byte[] randomKey() {
        byte[] key = new byte[Keyring.KEY_LENGTH];
        random.nextBytes(key);
        return key;
    }

    // ---- test hooks ---------------------------------------------------------------------------------------

    /** The live root key array (not a copy), so tests can prove {@link #seal()} zeroes it. */
    byte[] rootKeyBytesForTesting() {
        return requireUnsealed().rootKey().secretBytesUnsafe();
    }

    /** The live keyring key arrays (not copies), so tests can prove {@link #seal()} zeroes them. */
    List<byte[]> keyringKeyBytesForTesting() {
        return requireUnsealed().keyring().keyBytesForTesting();
    }
}
