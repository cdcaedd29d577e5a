package dev.coffer.core;

import dev.coffer.CofferException;
import dev.coffer.barrier.AesGcmBarrier;
import dev.coffer.barrier.BarrierView;
import dev.coffer.barrier.SecurityBarrier;
import dev.coffer.barrier.StoragePaths;
import dev.coffer.audit.AuditSink;
import dev.coffer.logical.BackendFactory;
import dev.coffer.logical.CoreServices;
import dev.coffer.logical.LogicalBackend;
import dev.coffer.logical.LogicalRequest;
import dev.coffer.logical.LogicalResponse;
import dev.coffer.logical.MountEntry;
import dev.coffer.logical.MountManager;
import dev.coffer.logical.Operation;
import dev.coffer.logical.Route;
import dev.coffer.logical.Router;
import dev.coffer.policy.AclAuthorizer;
import dev.coffer.policy.Authorizer;
import dev.coffer.policy.PolicyStore;
import dev.coffer.storage.StorageBackend;
import dev.coffer.token.TokenEntry;
import dev.coffer.token.ExpirationSweeper;
import dev.coffer.token.TokenStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core state machine: uninitialized -> sealed -> unsealed (active). The HTTP layer talks only to this
 * facade. State changes (init, unseal, seal, rekey) are serialized on {@code this}; data access goes
 * through the barrier, which refuses everything while sealed.
 */
public final class Core implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Core.class);
    static final String SHAMIR = "shamir";
    static final String SYS_PREFIX = "sys/";
    private static final MountEntry SYS_ENTRY = new MountEntry(SYS_PREFIX, "system", "system endpoints used for "
            + "control, policy and debugging", "system", "system_0", null, null, false, false, BackendFactory.Kind.SECRET);

    private final CoreOptions options;
    private final StorageBackend storage;
    private final AesGcmBarrier barrier;
    private final TokenStore tokens;
    private final ClusterInfoStore clusterInfo;
    private final BackgroundJobs background;
    private final ShareCollector unsealShares = new ShareCollector();
    private final RekeyFlow rekey;
    private final Router router = new Router();
    private final MountManager mounts;
    private final PolicyStore policies;
    private final AclAuthorizer acl;
    private final ExpirationSweeper tokenSweeper;
    private final GenerateRootFlow generateRoot;
    private volatile Authorizer authorizer;
    private volatile AuditSink audit = AuditSink.NONE;
    private volatile LogicalBackend systemBackend;
    private volatile boolean initialized;
    private volatile Instant activeSince;

    public Core(CoreOptions options) {
        this.options = options;
        this.storage = options.storage();
        this.barrier = new AesGcmBarrier(storage, options.random(), options.clock());
        this.tokens = new TokenStore(new BarrierView(barrier, "sys/token/"), options.random(), options.clock());
        this.clusterInfo = new ClusterInfoStore(barrier, options);
        this.background = new BackgroundJobs(barrier, options.rotationCheckInterval());
        this.rekey = new RekeyFlow(options.random());
        this.rekey.attach(this);
        this.policies = new PolicyStore(new BarrierView(barrier, "sys/policy/"));
        this.acl = new AclAuthorizer(policies);
        this.authorizer = acl;
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

    /** Adds one unseal key share; unseals once the threshold is reached. */
    public synchronized SealStatus unseal(String key) {
        requireInitialized();
        if (!barrier.sealed()) {
            return sealStatus();
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

    public synchronized SealStatus resetUnseal() {
        unsealShares.reset();
        return sealStatus();
    }

    /** Seals: stops background work and wipes every key from memory. */
    public synchronized void seal() {
        if (barrier.sealed()) {
            return;
        }
        background.stop();
        tokenSweeper.stop();
        generateRoot.cancel();
        policies.unload();
        mounts.unload();
        router.remove(SYS_PREFIX);
        tokens.unload();
        rekey.cancel();
        unsealShares.reset();
        barrier.seal();
        activeSince = null;
        LOG.info("vault sealed");
    }

    public SealStatus sealStatus() {
        boolean init = initialized();
        boolean sealed = barrier.sealed();
        int n = 0;
        int t = 0;
        if (init) {
            UnsealKeysEntry entry = unsealKeysEntry();
            n = entry.secretShares();
            t = entry.secretThreshold();
        }
        ClusterInfo ci = sealed ? null : clusterInfo.current();
        synchronized (this) {
            return new SealStatus(SHAMIR, init, sealed, t, n, sealed ? unsealShares.progress() : 0,
                    sealed ? unsealShares.nonce() : "", false, ci == null ? null : ci.name(), ci == null ? null : ci.id(),
                    false, null, options.storageType());
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

    /** Like {@link #authenticate}, and requires sudo (only the root policy grants it until ACLs exist). */
    public TokenEntry authenticateSudo(String token) {
        TokenEntry entry = authenticate(token);
        if (!entry.isRoot()) {
            throw new CofferException.PermissionDenied("permission denied: this endpoint requires sudo capability");
        }
        return entry;
    }

    /**
     * Serves one request through the pipeline every non-{@code sys/seal-status}-like request takes: sealed
     * check, routing, token, CREATE-vs-UPDATE by the engine's existence check, ACL (with sudo where the
     * engine asks), audit of the request (fail closed), the engine, audit of the response.
     */
    public LogicalResponse handle(LogicalRequest request) {
        if (barrier.sealed()) {
            throw new CofferException.Sealed("Vault is sealed");
        }
        Optional<Route> route = router.route(request.path());
        boolean unauthenticated = route.isPresent()
                && PathGlobs.matchesAny(route.get().backend().unauthenticatedPaths(), route.get().relativePath());
        TokenEntry token = unauthenticated ? null : authenticate(request.clientToken());
        if (route.isEmpty()) {
            throw new CofferException.NotFound("no handler for route \"" + request.path() + "\"; check the path and that "
                    + "a secrets engine is mounted there (sys/mounts)");
        }
        Route r = route.get();
        LogicalRequest req = request.withRoute(r.mount().routePrefix(), r.relativePath()).withToken(token);
        if (req.operation() == Operation.UPDATE) {
            Boolean exists = r.backend().exists(req);
            if (Boolean.FALSE.equals(exists)) {
                req = req.withOperation(Operation.CREATE);
            }
        }
        if (!unauthenticated) {
            authorizer.authorize(token, req.path(), req.operation(),
                    PathGlobs.matchesAny(r.backend().sudoPaths(), r.relativePath()));
            tokens.useOnce(token);
        }
        AuditSink sink = audit;
        sink.logRequest(req);
        LogicalResponse response;
        try {
            response = r.backend().handle(req);
        } catch (CofferException e) {
            sink.logResponse(req, null, e);
            throw e;
        }
        sink.logResponse(req, response, null);
        return response;
    }

    /** The server layer's {@code sys/} endpoints, routed like any mount while unsealed. */
    public void registerSystemBackend(LogicalBackend backend) {
        this.systemBackend = backend;
        if (!barrier.sealed()) {
            router.remove(SYS_PREFIX);
            router.add(SYS_PREFIX, SYS_ENTRY, backend);
        }
    }

    public void setAuthorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    public void setAuditSink(AuditSink sink) {
        this.audit = sink;
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

    public RekeyFlow rekey() {
        return rekey;
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
        tokens.load();
        clusterInfo.loadOrCreate();
        policies.load();
        mounts.load();
        LogicalBackend sys = systemBackend;
        if (sys != null) {
            router.add(SYS_PREFIX, SYS_ENTRY, sys);
        }
        activeSince = options.clock().instant();
        background.start();
        tokenSweeper.start();
        LOG.info("vault unsealed; this node is active");
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
        tokenSweeper.close();
        storage.close();
    }
}
