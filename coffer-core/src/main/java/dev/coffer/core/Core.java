package dev.coffer.core;

import dev.coffer.CofferException;
import dev.coffer.audit.AuditBroker;
import dev.coffer.barrier.AesGcmBarrier;
import dev.coffer.barrier.BarrierView;
import dev.coffer.barrier.SecurityBarrier;
import dev.coffer.barrier.StoragePaths;
import dev.coffer.logical.BackendFactory;
import dev.coffer.logical.CoreServices;
import dev.coffer.logical.LogicalBackend;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.MountEntry;
import dev.coffer.logical.MountManager;
import dev.coffer.logical.Router;
import dev.coffer.policy.AclAuthorizer;
import dev.coffer.policy.PolicyStore;
import dev.coffer.seal.KmsWrapper;
import dev.coffer.seal.SealException;
import dev.coffer.snapshot.PreparedSnapshot;
import dev.coffer.snapshot.SnapshotRestore;
import dev.coffer.snapshot.SnapshotWriter;
import dev.coffer.snapshot.VerifiedSnapshot;
import dev.coffer.storage.GatedStorage;
import dev.coffer.storage.HaBackend;
import dev.coffer.storage.ReadCache;
import dev.coffer.storage.StorageBackend;
import dev.coffer.token.ExpirationSweeper;
import dev.coffer.token.TokenEntry;
import dev.coffer.token.TokenStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core state machine: uninitialized -> sealed -> unsealed, then active at once without HA, or standby
 * until its {@link HaCoordinator} takes the storage's HA lock (and back to standby when it is lost). The
 * HTTP layer talks only to this facade. State changes (init, unseal, seal, rekey) are serialized on {@code this}; data access goes
 * through the barrier, which refuses everything while sealed.
 */
public final class Core implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Core.class);
    static final String SHAMIR = "shamir";
    static final String SYS_PREFIX = "sys/";
    static final String HA_LOCK_KEY = "core/lock";
    /** How often a standby tries the lock and re-reads who holds it. */
    static final Duration HA_RETRY_INTERVAL = Duration.ofMillis(100);
    /** How long a node that stepped down waits before contending again, so another node takes over. */
    static final Duration HA_STEP_DOWN_BACKOFF = Duration.ofSeconds(2);
    static final Duration HA_HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
    private static final MountEntry SYS_ENTRY = new MountEntry(SYS_PREFIX, "system", "system endpoints used for "
            + "control, policy and debugging", "system", "system_0", null, null, false, false, BackendFactory.Kind.SECRET);

    private final CoreOptions options;
    /** All storage access goes through the gates, so snapshots see one point in time (see GatedStorage). */
    private final GatedStorage storage;
    /**
     * The storage read cache inside the gates, or null ({@code disable_cache}). Active only while this node is the only
     * writer: unsealed without HA, or the HA active node while it holds the lock (see {@link #activateCache}).
     */
    private final ReadCache cache;
    private final AesGcmBarrier barrier;
    private final TokenStore tokens;
    private final ClusterInfoStore clusterInfo;
    private final BackgroundJobs background;
    private final ShareCollector unsealShares = new ShareCollector();
    private final RekeyFlow rekey;
    private final RekeyFlow recoveryRekey;
    private final Router router = new Router();
    private final MountManager mounts;
    private final PolicyStore policies;
    private final AclAuthorizer acl;
    private final ExpirationSweeper tokenSweeper;
    private final GenerateRootFlow generateRoot;
    private final RequestPipeline pipeline;
    private final AuditBroker auditBroker;
    private volatile LogicalBackend systemBackend;
    /** The seal protecting the stored root key: the configured one, or during a migration the old one. */
    private volatile KmsWrapper autoSeal;
    /** The seal migration waiting for {@code unseal -migrate}, or null. */
    private volatile SealMigration migration;
    /** Why the configured seals cannot open this storage (e.g. the old seal's stanza is missing), or null. */
    private volatile String sealConfigError;
    private volatile String storedSealType;
    private boolean sealResolved;
    private final SealHealthMonitor sealHealth;
    private volatile boolean initialized;
    private volatile Instant activeSince;
    private final List<ActiveService> activeServices = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Set by an operator's seal: an auto seal then waits for recovery keys instead of unsealing itself. */
    private volatile boolean sealedByOperator;
    private volatile String autoUnsealError;
    /** This process's identity in the HA lock and heartbeats. */
    private final String nodeId = UUID.randomUUID().toString();
    private final HaNodes haNodes;
    /** Non-null while unsealed with HA enabled. */
    private volatile HaCoordinator ha;
    /** Requests served as the active node finish before a step-down releases the lock (see ActiveGate). */
    private final ActiveGate activeGate = new ActiveGate(java.time.Duration.ofSeconds(30));

    public Core(CoreOptions options) {
        this.options = options;
        this.cache = options.cacheSize() > 0
                ? new ReadCache(options.storage(), options.cacheSize(), Core::writtenByOtherNodes) : null;
        this.storage = new GatedStorage(options.storage(), cache);
        SnapshotRestore.warnIfInterrupted(storage);
        this.autoSeal = options.autoSeal();
        this.sealHealth = autoSeal == null ? null
                : new SealHealthMonitor(autoSeal, options.sealHealthInterval(), options.clock());
        if (sealHealth != null) {
            sealHealth.onRecovered(this::rewrapAfterSealRecovered);
        }
        this.barrier = new AesGcmBarrier(storage, options.random(), options.clock());
        this.tokens = new TokenStore(new BarrierView(barrier, "sys/token/"), options.random(), options.clock());
        this.clusterInfo = new ClusterInfoStore(barrier, options);
        this.background = new BackgroundJobs(barrier, options.rotationCheckInterval());
        this.rekey = new RekeyFlow(options.random(), false);
        this.rekey.attach(this);
        this.recoveryRekey = new RekeyFlow(options.random(), true);
        this.recoveryRekey.attach(this);
        this.policies = new PolicyStore(new BarrierView(barrier, "sys/policy/"));
        this.acl = new AclAuthorizer(policies);
        this.tokenSweeper = new ExpirationSweeper(tokens, ExpirationSweeper.DEFAULT_INTERVAL);
        this.generateRoot = new GenerateRootFlow(options.random());
        this.generateRoot.attach(this);
        CoreServices services = new CoreServices() {
            @Override
            public TokenStore tokens() {
                return tokens;
            }

            @Override
            public boolean hasSudo(TokenEntry token, String path) {
                return token != null && acl.acl(token).allows(path, dev.coffer.policy.Capability.UPDATE, true);
            }
        };
        this.mounts = new MountManager(barrier, router, services, options.clock(), options.random());
        this.auditBroker = new AuditBroker(barrier, options.random(), options.clock(),
                req -> router.route(req.path()).map(rt -> rt.mount().type()).orElse(null));
        this.pipeline = new RequestPipeline(router, tokens, this::authenticate, acl, auditBroker);
        this.haNodes = new HaNodes(barrier);
    }

    public CoreOptions options() {
        return options;
    }

    public SecurityBarrier barrier() {
        return barrier;
    }

    public boolean initialized() {
        if (!initialized) {
            initialized = storage.get(StoragePaths.SEAL_CONFIG).isPresent();
        }
        return initialized;
    }

    public boolean sealed() {
        return barrier.sealed();
    }

    /** Initializes a new vault with a Shamir seal. The vault stays sealed afterwards, as in Vault. */
    public synchronized InitResult init(InitRequest request) {
        if (initialized()) {
            throw new CofferException.Conflict("Vault is already initialized");
        }
        if (barrier.initialized()) {
            throw new CofferException.Conflict("storage holds a keyring but no seal configuration: an earlier init was "
                    + "interrupted; point the server at empty storage and run init again");
        }
        if (autoSeal != null) {
            return initAutoSealed(request);
        }
        ShamirKeys.validate(request.secretShares(), request.secretThreshold());
        byte[] rootKey = new byte[ShamirKeys.KEY_BYTES];
        options.random().nextBytes(rootKey);
        try {
            ShamirKeys.Issued issued = ShamirKeys.issue(rootKey, request.secretShares(), request.secretThreshold(),
                    options.random());
            barrier.initialize(rootKey);
            storage.put(StoragePaths.BARRIER_UNSEAL_KEYS, Json.write(issued.entry()));
            String rootToken = withUnsealedBarrier(rootKey, () -> {
                clusterInfo.loadOrCreate();
                return tokens.createRoot(null);
            });
            // written last: a vault counts as initialized only once everything above is durable
            storage.put(StoragePaths.SEAL_CONFIG,
                    Json.write(new SealConfig(SHAMIR, request.secretShares(), request.secretThreshold())));
            initialized = true;
            LOG.info("vault initialized with {} unseal key shares, threshold {}", request.secretShares(),
                    request.secretThreshold());
            return new InitResult(issued.shares(), List.of(), rootToken);
        } finally {
            Arrays.fill(rootKey, (byte) 0);
        }
    }

    /**
     * Initializes with an auto seal: the KMS wraps the root key, recovery shares are returned instead of unseal
     * keys, and the vault unseals itself at once (as Vault does).
     */
    private InitResult initAutoSealed(InitRequest request) {
        int n = request.recoveryShares() > 0 ? request.recoveryShares() : 5;
        int t = request.recoveryThreshold() > 0 ? request.recoveryThreshold() : 3;
        byte[] rootKey = new byte[ShamirKeys.KEY_BYTES];
        options.random().nextBytes(rootKey);
        try {
            UnsealKeysEntry rootEntry = AutoSealKeys.wrapRootKey(autoSeal, rootKey);
            AutoSealKeys.Recovery recovery = AutoSealKeys.issueRecovery(autoSeal, n, t, options.random());
            barrier.initialize(rootKey);
            storage.put(StoragePaths.BARRIER_UNSEAL_KEYS, Json.write(rootEntry));
            storage.put(StoragePaths.RECOVERY_KEY, Json.write(recovery.entry()));
            storage.put(StoragePaths.RECOVERY_CONFIG, Json.write(new SealConfig(SHAMIR, n, t)));
            String rootToken = withUnsealedBarrier(rootKey, () -> {
                clusterInfo.loadOrCreate();
                return tokens.createRoot(null);
            });
            storage.put(StoragePaths.SEAL_CONFIG, Json.write(new SealConfig(autoSeal.type(), 1, 1)));
            initialized = true;
            LOG.info("vault initialized with the {} seal; {} recovery key shares, threshold {}", autoSeal.type(), n, t);
            barrier.unseal(rootKey);
            postUnseal();
            return new InitResult(List.of(), recovery.shares(), rootToken);
        } catch (SealException e) {
            throw new CofferException.Internal("the " + autoSeal.type() + " seal could not wrap the new root key: "
                    + e.getMessage(), e);
        } finally {
            Arrays.fill(rootKey, (byte) 0);
        }
    }

    /**
     * Unseals through the KMS, without keys: at startup, and when a standby takes over. Does nothing when
     * unsealed already or when an operator sealed this node (then recovery keys are needed).
     *
     * @return true when the vault is unsealed afterwards
     */
    public synchronized boolean autoUnseal() throws SealException {
        resolveSeal();
        if (autoSeal == null || !initialized() || !barrier.sealed() || sealedByOperator || migration != null
                || sealConfigError != null) {
            return !barrier.sealed();
        }
        try {
            unsealWithKms();
            autoUnsealError = null;
            return true;
        } catch (SealException e) {
            autoUnsealError = e.getMessage();
            throw e;
        }
    }

    private void unsealWithKms() throws SealException {
        byte[] rootKey = AutoSealKeys.unwrapRootKey(autoSeal, unsealKeysEntry());
        try {
            barrier.unseal(rootKey);
        } finally {
            Arrays.fill(rootKey, (byte) 0);
        }
        postUnseal();
        rewrapIfKmsKeyRotated();
    }

    /** After a KMS key rotation, re-wraps the root key and the recovery key under the key's new version. */
    public synchronized boolean rewrapIfKmsKeyRotated() throws SealException {
        if (autoSeal == null || barrier.sealed()) {
            return false;
        }
        boolean changed = false;
        var root = AutoSealKeys.rewrapIfStale(autoSeal, unsealKeysEntry(), AutoSealKeys.ROOT_AAD);
        if (root.isPresent()) {
            storage.put(StoragePaths.BARRIER_UNSEAL_KEYS, Json.write(root.get()));
            changed = true;
        }
        var recovery = AutoSealKeys.rewrapIfStale(autoSeal, recoveryEntry(), AutoSealKeys.RECOVERY_AAD);
        if (recovery.isPresent()) {
            storage.put(StoragePaths.RECOVERY_KEY, Json.write(recovery.get()));
            changed = true;
        }
        if (changed) {
            LOG.info("root key and recovery key re-wrapped under {} key version {}", autoSeal.type(), autoSeal.keyId());
        }
        if (storedSealType != null && !SHAMIR.equals(storedSealType) && !storedSealType.equals(autoSeal.type())) {
            // seals added, removed or reprioritized (multiseal): record the seal type status now shows
            storage.put(StoragePaths.SEAL_CONFIG, Json.write(new SealConfig(autoSeal.type(), 1, 1)));
            storedSealType = autoSeal.type();
        }
        return changed;
    }

    /** A seal answers again: with several seals, one that had no copy (or a stale one) of the keys gets it now. */
    private void rewrapAfterSealRecovered() {
        if (activeSince == null) {
            return;
        }
        try {
            rewrapIfKmsKeyRotated();
        } catch (SealException | RuntimeException e) {
            LOG.warn("could not re-wrap the root key after a seal recovered: {}; PUT sys/sealwrap/rewrap retries",
                    e.getMessage());
        }
    }

    /** Adds one unseal key share (recovery key share with an auto seal); unseals once the threshold is reached. */
    public synchronized SealStatus unseal(String key) {
        return unseal(key, false);
    }

    /**
     * Same, with Vault's {@code migrate} flag: required while a seal migration is pending (the shares are then
     * the old seal's keys and the migration completes at the threshold), refused otherwise.
     */
    public synchronized SealStatus unseal(String key, boolean migrate) {
        requireInitialized();
        resolveSeal();
        if (!barrier.sealed()) {
            return sealStatus();
        }
        if (sealConfigError != null) {
            throw new CofferException.BadRequest(sealConfigError);
        }
        SealMigration m = migration;
        if (m != null && !migrate) {
            throw new CofferException.BadRequest("a seal migration from " + m.fromType() + " to " + m.toType()
                    + " is pending: give the " + m.keyKind() + " keys with `coffer operator unseal -migrate` "
                    + "(\"migrate\": true in sys/unseal); progress unchanged (" + unsealShares.progress() + ")");
        }
        if (m == null && migrate) {
            throw new CofferException.BadRequest("no seal migration is pending (storage and configuration both use the "
                    + sealType() + " seal); unseal without -migrate");
        }
        if (m != null) {
            return unsealForMigration(m, key);
        }
        if (autoSeal != null) {
            return unsealWithRecoveryKey(key);
        }
        UnsealKeysEntry entry = unsealKeysEntry();
        byte[] share = KeyShares.decode(key);
        try {
            ShamirKeys.checkShare(entry, share, unsealShares.progress());
            unsealShares.add(share, options.random());
        } finally {
            Arrays.fill(share, (byte) 0);
        }
        if (unsealShares.progress() >= entry.secretThreshold()) {
            List<byte[]> shares = unsealShares.shares();
            try {
                byte[] rootKey = ShamirKeys.recoverRootKey(entry, shares);
                try {
                    barrier.unseal(rootKey);
                } finally {
                    Arrays.fill(rootKey, (byte) 0);
                }
                postUnseal();
            } finally {
                unsealShares.reset();
            }
        }
        return sealStatus();
    }

    /** After an operator's seal, an auto-sealed vault needs a threshold of recovery keys to unseal again. */
    private SealStatus unsealWithRecoveryKey(String key) {
        UnsealKeysEntry entry = recoveryEntry();
        byte[] share = KeyShares.decode(key);
        try {
            ShamirKeys.checkShare(entry, share, unsealShares.progress(), "recovery");
            unsealShares.add(share, options.random());
        } finally {
            Arrays.fill(share, (byte) 0);
        }
        if (unsealShares.progress() < entry.secretThreshold()) {
            return sealStatus();
        }
        List<byte[]> shares = unsealShares.shares();
        try {
            AutoSealKeys.verifyRecoveryShares(autoSeal, entry, shares);
            sealedByOperator = false;
            unsealWithKms();
            autoUnsealError = null;
        } catch (SealException e) {
            autoUnsealError = e.getMessage();
            throw new CofferException.Internal("the " + autoSeal.type() + " seal could not unwrap the root key: "
                    + e.getMessage(), e);
        } finally {
            unsealShares.reset();
        }
        return sealStatus();
    }

    /** Completes a seal migration once a threshold of the old seal's keys is in; see {@link SealMigration}. */
    private SealStatus unsealForMigration(SealMigration m, String key) {
        UnsealKeysEntry entry = m.sharesEntry(this);
        byte[] share = KeyShares.decode(key);
        try {
            ShamirKeys.checkShare(entry, share, unsealShares.progress(), m.keyKind());
            unsealShares.add(share, options.random());
        } finally {
            Arrays.fill(share, (byte) 0);
        }
        if (unsealShares.progress() < entry.secretThreshold()) {
            return sealStatus();
        }
        List<byte[]> shares = unsealShares.shares();
        try {
            byte[] rootKey = m.complete(this, storage, shares);
            try {
                barrier.unseal(rootKey);
            } finally {
                Arrays.fill(rootKey, (byte) 0);
            }
            autoSeal = m.to;
            storedSealType = m.toType();
            migration = null;
            sealedByOperator = false;
            autoUnsealError = null;
            LOG.info("seal migrated from {} to {}; the {} keys are now the {} keys; remove the disabled seal stanza "
                    + "(if any) from the configuration", m.fromType(), m.toType(), m.keyKind(), m.to == null ? "unseal" : "recovery");
            postUnseal();
        } catch (SealException e) {
            throw new CofferException.Internal("seal migration from " + m.fromType() + " to " + m.toType() + " failed ("
                    + e.reason() + "): " + e.getMessage() + "; run it again with the same configuration and keys", e);
        } finally {
            unsealShares.reset();
        }
        return sealStatus();
    }

    /**
     * Once storage is initialized, compares the seal it records with the configured ones (once): sets the seal in
     * effect, a pending migration, or a configuration error explaining what to do.
     */
    private synchronized void resolveSeal() {
        if (sealResolved || !initialized()) {
            return;
        }
        String stored = storage.get(StoragePaths.SEAL_CONFIG)
                .map(b -> Json.read(b, SealConfig.class, StoragePaths.SEAL_CONFIG).type()).orElse(SHAMIR);
        SealMigration.Resolution r = SealMigration.resolve(stored, options.autoSeal(), options.previousSeal(),
                this::unsealKeysEntry);
        storedSealType = stored;
        autoSeal = r.current();
        migration = r.migration();
        sealConfigError = r.error();
        if (r.error() != null) {
            autoUnsealError = r.error();
            LOG.error(r.error());
        } else if (r.migration() != null) {
            LOG.warn(r.migration().describe());
        }
        if (r.warning() != null) {
            LOG.warn(r.warning());
        }
        sealResolved = true;
    }

    /** The pending seal migration as {@code from -> to} types, empty when none. */
    public synchronized Optional<String> pendingMigration() {
        resolveSeal();
        SealMigration m = migration;
        return m == null ? Optional.empty() : Optional.of(m.fromType() + " -> " + m.toType());
    }

    /** The shares that authorize privileged operations: recovery keys with an auto seal, else unseal keys. */
    UnsealKeysEntry authorizingShares() {
        return autoSeal != null ? recoveryEntry() : unsealKeysEntry();
    }

    /** {@code "recovery"} or {@code "unseal"}: the word operators see in messages about those shares. */
    String authorizingKind() {
        return autoSeal != null ? "recovery" : "unseal";
    }

    /** Checks a threshold of {@link #authorizingShares()}: the recovery key through the KMS, or the root key. */
    void verifyAuthorizingShares(List<byte[]> shares) {
        if (autoSeal == null) {
            Arrays.fill(ShamirKeys.recoverRootKey(unsealKeysEntry(), shares), (byte) 0);
            return;
        }
        try {
            AutoSealKeys.verifyRecoveryShares(autoSeal, recoveryEntry(), shares);
        } catch (SealException e) {
            throw new CofferException.Internal("the " + autoSeal.type() + " seal could not check the recovery keys ("
                    + e.reason() + "): " + e.getMessage(), e);
        }
    }

    UnsealKeysEntry recoveryEntry() {
        return storage.get(StoragePaths.RECOVERY_KEY)
                .map(b -> Json.read(b, UnsealKeysEntry.class, "the recovery key (" + StoragePaths.RECOVERY_KEY + ")"))
                .orElseThrow(() -> new CofferException.Internal("this vault uses an auto seal but " + StoragePaths.RECOVERY_KEY
                        + " is missing from storage; restore it from a backup", null));
    }

    /** The seal type in use: {@code shamir} or the KMS's type, e.g. {@code azurekeyvault}. */
    public String sealType() {
        if (sealConfigError != null && storedSealType != null) {
            return storedSealType;
        }
        return autoSeal == null ? SHAMIR : autoSeal.type();
    }

    public Optional<KmsWrapper> autoSealWrapper() {
        return Optional.ofNullable(autoSeal);
    }

    /** The auto seal's health monitor (empty for Shamir). */
    public Optional<SealHealthMonitor> sealHealth() {
        return Optional.ofNullable(sealHealth);
    }

    public synchronized SealStatus resetUnseal() {
        unsealShares.reset();
        return sealStatus();
    }

    /** Seals: stops background work and wipes every key from memory. */
    public synchronized void seal() {
        if (barrier.sealed()) {
            return;
        }
        sealedByOperator = true;
        stopServices();
        barrier.seal();
        LOG.info("vault sealed");
    }

    /** Everything {@link #postUnseal} starts or loads, stopped and dropped; the barrier is left as it is. */
    private void stopServices() {
        stopHa();
        if (sealHealth != null) {
            sealHealth.stop();
        }
        stopActiveServices();
        generateRoot.cancel();
        rekey.cancel();
        recoveryRekey.cancel();
        unsealShares.reset();
    }

    /**
     * Takes a point-in-time snapshot of all storage into a temp file (see docs/snapshots.md); the caller writes
     * it out and closes it. Writes pause for the walk only on backends without their own consistent snapshot.
     */
    public PreparedSnapshot saveSnapshot() throws IOException {
        if (barrier.sealed()) {
            throw new CofferException.Sealed("Vault is sealed");
        }
        var source = new SnapshotWriter.Source(options.storageType(), clusterInfo.current().id(),
                barrier.keyStatus().term(), options.clock().instant());
        return SnapshotWriter.prepare(storage, barrier, source);
    }

    /**
     * Replaces all data with a verified snapshot while every other reader and writer waits, then either reloads
     * keyring, policies, tokens and mounts from it ({@code sameVault}), or seals this node: a snapshot of another
     * vault is only readable with that vault's unseal keys or KMS key. If an entry-by-entry restore fails part way
     * the node is sealed too, because its data is then a mix; running the restore again completes it. A backend
     * that restores atomically and fails changed nothing, so the node stays as it was.
     */
    public synchronized void restoreSnapshot(VerifiedSnapshot snapshot, boolean sameVault) throws IOException {
        // Lock order everywhere: core, barrier, mount table, audit devices, storage gates. The mount table and the
        // audit broker hold their monitors while they write to storage (a mount, an audit enable), and the reload
        // below takes them while holding the gates exclusively: taking them first lets such a write finish instead
        // of deadlocking. Other active services are stopped without waiting for their own work (SnapshotScheduler).
        synchronized (barrier) {
            synchronized (mounts) {
                synchronized (auditBroker) {
                    storage.runExclusive(ungated -> {
                        try {
                            SnapshotRestore.apply(ungated, snapshot);
                        } catch (SnapshotRestore.RolledBack nothingChanged) {
                            throw nothingChanged;
                        } catch (IOException | RuntimeException e) {
                            sealAfterRestore();
                            throw e;
                        }
                        if (sameVault) {
                            reloadAfterRestore();
                        } else {
                            sealAfterRestore();
                        }
                        return null;
                    });
                }
            }
        }
    }

    /**
     * Same vault restored: reload what the data defines. An HA node keeps its lock, so it stays the active node
     * (releasing it would hand the restore's aftermath to whichever standby is quickest).
     */
    private void reloadAfterRestore() {
        generateRoot.cancel();
        rekey.cancel();
        recoveryRekey.cancel();
        stopActiveServices();
        barrier.reloadKeyring();
        clusterInfo.loadOrCreate();
        HaCoordinator c = ha;
        if (c == null) {
            activateCache(() -> true);
            startActiveServices();
        } else if (c.active()) {
            activateCache(c::holdsLock);
            startActiveServices();
        }
    }

    /**
     * A standby re-reads the keyring before each heartbeat: the active node may have rotated it, or restored a
     * snapshot with an older one, and the heartbeat this node writes must be readable by the active node. A keyring
     * this node cannot open at all (a snapshot of another vault restored with -force) seals it.
     */
    private void followKeyring() {
        try {
            barrier.reloadKeyring();
        } catch (CofferException.Internal e) {
            synchronized (this) {
                if (!barrier.sealed()) {
                    LOG.error("this standby cannot open the keyring in storage ({}): a snapshot of another vault was"
                            + " restored with -force, or the root key changed twice since this node unsealed", e.getMessage());
                    sealAfterRestore();
                }
            }
            throw e;
        }
    }

    private void sealAfterRestore() {
        stopServices();
        barrier.seal();
        sealedByOperator = false; // an auto seal holding the snapshot's KMS key may unseal by itself
        LOG.warn("vault sealed after a snapshot restore: unseal it with the keys of the vault the snapshot came from");
    }

    public SealStatus sealStatus() {
        boolean init = initialized();
        if (init) {
            resolveSeal();
        }
        boolean sealed = barrier.sealed();
        int n = 0;
        int t = 0;
        SealMigration m = migration;
        boolean recovery = sealConfigError != null ? !SHAMIR.equals(storedSealType) : autoSeal != null;
        if (init) {
            UnsealKeysEntry entry = m != null ? m.sharesEntry(this) : recovery ? recoveryEntry() : unsealKeysEntry();
            n = entry.secretShares();
            t = entry.secretThreshold();
        }
        ClusterInfo ci = sealed ? null : clusterInfo.current();
        synchronized (this) {
            return new SealStatus(sealType(), init, sealed, t, n, sealed ? unsealShares.progress() : 0,
                    sealed ? unsealShares.nonce() : "", sealed && m != null, ci == null ? null : ci.name(),
                    ci == null ? null : ci.id(), recovery, recovery ? SHAMIR : null, options.storageType(),
                    sealed ? autoUnsealError : null);
        }
    }

    /** Resolves a client token; 403 when missing or unknown, 503 when sealed. */
    public TokenEntry authenticate(String token) {
        if (barrier.sealed()) {
            throw new CofferException.Sealed("Vault is sealed");
        }
        if (token == null || token.isEmpty()) {
            throw new CofferException.PermissionDenied("permission denied: missing client token (X-Vault-Token header)");
        }
        return tokens.lookup(token).orElseThrow(() -> new CofferException.PermissionDenied("permission denied"));
    }

    /** Serves one routed request (everything but the sealed-state endpoints); see {@link RequestPipeline}. */
    public LogicalResponse handle(LogicalRequest request) {
        if (barrier.sealed()) {
            throw new CofferException.Sealed("Vault is sealed");
        }
        if (ha == null) {
            return pipeline.handle(request);
        }
        try (ActiveGate.Pass ignored = activeGate.enter()) {
            if (standby()) {
                throw new CofferException.Standby("this node is a standby: send the request to the active node ("
                        + haState().leaderApiAddr() + ") or through this node's HTTP listener, which forwards it");
            }
            return pipeline.handle(request);
        }
    }

    /**
     * Work that only the active node does (e.g. scheduled snapshots): started when this node becomes active (or
     * at once if it already is), stopped when it seals or becomes a standby.
     */
    public interface ActiveService {
        void start();

        void stop();
    }

    public synchronized void addActiveService(ActiveService service) {
        activeServices.add(service);
        if (activeSince != null) {
            service.start();
        }
    }

    /** The registered active service of this type (e.g. the snapshot scheduler), if any. */
    public <T extends ActiveService> java.util.Optional<T> activeService(Class<T> type) {
        return activeServices.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** The server layer's {@code sys/} endpoints, routed like any mount while unsealed. */
    public void registerSystemBackend(LogicalBackend backend) {
        this.systemBackend = backend;
        if (!barrier.sealed()) {
            router.remove(SYS_PREFIX);
            router.add(SYS_PREFIX, SYS_ENTRY, backend);
        }
    }

    /** The audit devices; {@code sys/audit} and SIGHUP (reopen) act on it. */
    public AuditBroker auditBroker() {
        return auditBroker;
    }

    public MountManager mounts() {
        return mounts;
    }

    public TokenStore tokens() {
        return tokens;
    }

    /** ACL policies ({@code sys/policy}). */
    public PolicyStore policies() {
        return policies;
    }

    /** The built-in ACL check, for capability queries ({@code sys/capabilities*}). */
    public AclAuthorizer acl() {
        return acl;
    }

    public GenerateRootFlow generateRoot() {
        return generateRoot;
    }

    public Optional<Instant> activeSince() {
        return Optional.ofNullable(activeSince);
    }

    // ---- HA ---------------------------------------------------------------------------------------------

    /** Whether the storage elects an active node ({@code HaBackend} with {@code ha_enabled}). */
    public boolean haEnabled() {
        return haBackend() != null;
    }

    /** Unsealed, HA on, and not (yet) the active node. */
    public boolean standby() {
        HaCoordinator c = ha;
        return c != null && !barrier.sealed() && !c.active();
    }

    /** This node's id in the HA lock and in {@code sys/ha-status}. */
    public String nodeId() {
        return nodeId;
    }

    /** What {@code sys/leader} reports. Without HA the node leads itself once unsealed. */
    public HaState haState() {
        HaCoordinator c = ha;
        if (c == null) {
            HaNodeInfo me = new HaNodeInfo(nodeId, "", options.apiAddr(), options.clusterAddr(), 0);
            return new HaState(haEnabled(), !barrier.sealed(), activeSince, barrier.sealed() ? null : me, 0);
        }
        boolean self = c.active();
        Optional<HaCoordinator.Leader> leader = c.leader();
        return new HaState(true, self, self ? activeSince : null, leader.map(HaCoordinator.Leader::node).orElse(null),
                leader.map(HaCoordinator.Leader::generation).orElse(0L));
    }

    /**
     * Completes once this node sees that the HA lock has left the tenure {@code seen} names (its leader under its
     * generation): another node or a newer generation holds the lock, or this node took it. A standby forwarding a
     * request to {@code seen}'s leader stops waiting for that answer then: the node it waits for is no longer
     * active (paused, partitioned or replaced), and whether it applied the request is unknown. Never completes
     * without HA or without a leader in {@code seen}.
     */
    public java.util.concurrent.CompletableFuture<Void> tenureEnded(HaState seen) {
        HaCoordinator c = ha;
        if (c == null || seen.leader() == null || seen.leaderGeneration() <= 0) {
            return new java.util.concurrent.CompletableFuture<>();
        }
        return c.tenureEnded(seen.leader().nodeId(), seen.leaderGeneration());
    }

    /** The HA lock's fencing token (generation) while this node is active; empty otherwise or without HA. */
    public java.util.OptionalLong haGeneration() {
        HaCoordinator c = ha;
        return c == null ? java.util.OptionalLong.empty() : c.generation();
    }

    /** Re-reads the active node from storage (a standby whose cached leader stopped answering). */
    public HaState refreshLeader() {
        HaCoordinator c = ha;
        if (c != null) {
            c.refreshLeader();
        }
        return haState();
    }

    /** {@code sys/step-down}: the active node releases the lock and waits before contending again. */
    public void stepDown() {
        HaCoordinator c = ha;
        if (c == null) {
            throw new CofferException.BadRequest("step-down needs HA: this node's storage does not elect an active node"
                    + " (set ha_enabled = \"true\" in a storage stanza that supports it, e.g. postgresql)");
        }
        c.stepDown();
    }

    /** The nodes that sent a heartbeat recently ({@code sys/ha-status}); read on the active node. */
    public List<HaNodeInfo> haNodes() {
        return haNodes.recent(options.clock().millis());
    }

    private HaBackend haBackend() {
        // the raw backend: GatedStorage wraps it but does not (and must not) pretend to be an HA backend
        return options.storage() instanceof HaBackend hb && hb.haEnabled() ? hb : null;
    }

    private void stopHa() {
        HaCoordinator c = ha;
        ha = null;
        if (c != null) {
            c.close();
            try {
                haNodes.remove(nodeId);
            } catch (RuntimeException e) {
                LOG.debug("could not remove this node's heartbeat: {}", e.getMessage());
            }
        }
    }

    /** Takes over as active: another node may have rotated the keyring or changed mounts, so reload all. */
    private synchronized boolean becomeActive(HaCoordinator c) {
        if (c != ha || barrier.sealed()) {
            return false;
        }
        try {
            long start = System.nanoTime();
            // what this node read as a standby was written by others: start from nothing, valid while the lock is held
            activateCache(c::holdsLock);
            barrier.reloadKeyring();
            long keyring = System.nanoTime();
            startActiveServices();
            LOG.info("activation took {} ms (keyring reload {} ms, tokens, policies, mounts, audit and jobs {} ms)",
                    (System.nanoTime() - start) / 1_000_000, (keyring - start) / 1_000_000,
                    (System.nanoTime() - keyring) / 1_000_000);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("could not become active, staying standby and retrying: {}", e.getMessage());
            stopActiveServices();
            return false;
        }
    }

    private synchronized void becomeStandby(HaCoordinator c) {
        if (c == ha && !barrier.sealed()) {
            stopActiveServices();
        }
    }

    private HaCoordinator.Node haNode() {
        return new HaCoordinator.Node() {
            @Override
            public boolean becomeActive(HaCoordinator coordinator) {
                return Core.this.becomeActive(coordinator);
            }

            @Override
            public void leftActive(HaCoordinator coordinator) {
                // at once, not after the drain below: another node may write from now on
                deactivateCache();
            }

            @Override
            public void becomeStandby(HaCoordinator coordinator) {
                // outside Core's monitor: a running request may need it to finish
                activeGate.drainThen(() -> Core.this.becomeStandby(coordinator));
            }

            @Override
            public void heartbeat(HaNodeInfo self) {
                if (!barrier.sealed()) {
                    HaCoordinator c = ha;
                    if (c != null && !c.active()) {
                        followKeyring();
                    }
                    haNodes.write(self);
                }
            }
        };
    }

    public RekeyFlow rekey() {
        return rekey;
    }

    /** {@code sys/rekey-recovery-key/*}: new recovery key shares for an auto-sealed vault. */
    public RekeyFlow recoveryRekey() {
        return recoveryRekey;
    }

    /** Initializes (one share), unseals and creates a root token with the given id: {@code server -dev}. */
    public synchronized DevInit devInit(String rootTokenId) {
        InitResult result = init(new InitRequest(1, 1, 0, 0));
        unseal(java.util.Base64.getEncoder().encodeToString(result.keys().get(0)));
        String root = result.rootToken();
        if (rootTokenId != null && !rootTokenId.isBlank()) {
            tokens.revoke(root);
            root = tokens.createRoot(rootTokenId);
        }
        // like Vault's dev mode: a versioned KV store at secret/, ready to use
        mounts.mount(BackendFactory.Kind.SECRET, "secret/", "kv", "key/value secret storage", java.util.Map.of(),
                java.util.Map.of("version", "2"));
        return new DevInit(result.keys().get(0), root);
    }

    /** What dev mode prints: the single unseal key and the root token. */
    public record DevInit(byte[] unsealKey, String rootToken) {
    }

    /** Applies a completed rekey: a new share set for the same root key, written in one storage put. */
    synchronized List<byte[]> applyRekey(List<byte[]> oldShares, int newShares, int newThreshold) {
        UnsealKeysEntry current = unsealKeysEntry();
        byte[] rootKey = ShamirKeys.recoverRootKey(current, oldShares);
        try {
            ShamirKeys.Issued issued = ShamirKeys.issue(rootKey, newShares, newThreshold, options.random());
            storage.put(StoragePaths.BARRIER_UNSEAL_KEYS, Json.write(issued.entry()));
            storage.put(StoragePaths.SEAL_CONFIG, Json.write(new SealConfig(SHAMIR, newShares, newThreshold)));
            LOG.info("unseal keys rekeyed: {} shares, threshold {}", newShares, newThreshold);
            return new ArrayList<>(issued.shares());
        } finally {
            Arrays.fill(rootKey, (byte) 0);
        }
    }

    /** Applies a completed recovery rekey: checks the old shares with the KMS, then issues a new recovery key. */
    synchronized List<byte[]> applyRecoveryRekey(List<byte[]> oldShares, int newShares, int newThreshold) {
        try {
            AutoSealKeys.verifyRecoveryShares(autoSeal, recoveryEntry(), oldShares);
            AutoSealKeys.Recovery issued = AutoSealKeys.issueRecovery(autoSeal, newShares, newThreshold, options.random());
            storage.put(StoragePaths.RECOVERY_KEY, Json.write(issued.entry()));
            storage.put(StoragePaths.RECOVERY_CONFIG, Json.write(new SealConfig(SHAMIR, newShares, newThreshold)));
            LOG.info("recovery keys rekeyed: {} shares, threshold {}", newShares, newThreshold);
            return new ArrayList<>(issued.shares());
        } catch (SealException e) {
            throw new CofferException.Internal("the " + autoSeal.type() + " seal failed during the recovery rekey: "
                    + e.getMessage(), e);
        }
    }

    UnsealKeysEntry unsealKeysEntry() {
        return storage.get(StoragePaths.BARRIER_UNSEAL_KEYS)
                .map(b -> Json.read(b, UnsealKeysEntry.class, "the wrapped root key (" + StoragePaths.BARRIER_UNSEAL_KEYS + ")"))
                .orElseThrow(() -> new CofferException.Internal("the vault is initialized but "
                        + StoragePaths.BARRIER_UNSEAL_KEYS + " is missing from storage; restore it from a backup", null));
    }

    private void requireInitialized() {
        if (!initialized()) {
            throw new CofferException.Uninitialized("Vault is not initialized; run `coffer operator init` first");
        }
    }

    private void postUnseal() {
        clusterInfo.loadOrCreate();
        if (sealHealth != null) {
            sealHealth.start();
        }
        HaBackend haBackend = haBackend();
        if (haBackend == null) {
            activateCache(() -> true);
            startActiveServices();
            LOG.info("vault unsealed; this node is active");
            return;
        }
        HaNodeInfo self = new HaNodeInfo(nodeId, HaNodeInfo.localHostname(), options.apiAddr(), options.clusterAddr(), 0);
        ha = new HaCoordinator(haBackend.lock(HA_LOCK_KEY, nodeId, self.toJson()), haNode(), self,
                HA_RETRY_INTERVAL, HA_STEP_DOWN_BACKOFF, HA_HEARTBEAT_INTERVAL).start();
        LOG.info("vault unsealed; this node ({}) is a standby until it takes the HA lock", nodeId);
    }

    /** Loads what only the active node serves and starts its background work. */
    private void startActiveServices() {
        tokens.load();
        policies.load();
        mounts.load();
        auditBroker.load();
        LogicalBackend sys = systemBackend;
        if (sys != null) {
            router.add(SYS_PREFIX, SYS_ENTRY, sys);
        }
        activeSince = options.clock().instant();
        background.start();
        tokenSweeper.start();
        for (ActiveService s : activeServices) {
            try {
                s.start();
            } catch (RuntimeException e) {
                LOG.warn("could not start active service {}: {}", s, e.toString());
            }
        }
    }

    private void stopActiveServices() {
        deactivateCache();
        activeSince = null;
        for (ActiveService s : activeServices) {
            try {
                s.stop();
            } catch (RuntimeException e) {
                LOG.warn("could not stop active service {}: {}", s, e.toString());
            }
        }
        background.stop();
        tokenSweeper.stop();
        auditBroker.unload();
        policies.unload();
        mounts.unload();
        router.remove(SYS_PREFIX);
        tokens.unload();
    }

    /**
     * Keys the read cache never holds: everything under {@code core/}. Standbys write some of them while this node is
     * active (their heartbeats under {@code core/ha-nodes/}, the root and recovery keys they re-wrap after a KMS key
     * rotation), and the rest (keyring, mount and audit tables, cluster info) is read once into memory anyway.
     */
    static boolean writtenByOtherNodes(String key) {
        return key.startsWith("core/");
    }

    /** From now on this node is the only writer for as long as {@code stillValid} says so: serve reads from the cache. */
    private void activateCache(java.util.function.BooleanSupplier stillValid) {
        if (cache != null) {
            cache.activate(stillValid);
        }
    }

    /** This node may no longer be the only writer: read from storage, and forget everything cached. */
    private void deactivateCache() {
        if (cache != null) {
            cache.deactivate();
        }
    }

    /** The storage read cache ({@code cache_size}), if it is on; for tests and metrics. */
    public Optional<ReadCache> readCache() {
        return Optional.ofNullable(cache);
    }

    private <T> T withUnsealedBarrier(byte[] rootKey, java.util.function.Supplier<T> work) {
        barrier.unseal(rootKey);
        try {
            tokens.load();
            return work.get();
        } finally {
            tokens.unload();
            barrier.seal();
        }
    }

    @Override
    public synchronized void close() {
        seal();
        background.close();
        if (sealHealth != null) {
            sealHealth.close();
        }
        tokenSweeper.close();
        storage.close();
    }
}
