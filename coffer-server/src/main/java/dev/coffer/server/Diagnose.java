package dev.coffer.server;

import dev.coffer.core.SealProbe;
import dev.coffer.hcl.ConfigException;
import dev.coffer.seal.BlobInfo;
import dev.coffer.seal.KmsWrapper;
import dev.coffer.seal.KmsWrappers;
import dev.coffer.seal.SealException;
import dev.coffer.server.config.ConfigLoader;
import dev.coffer.server.config.ListenerConfig;
import dev.coffer.server.config.SealConfig;
import dev.coffer.server.config.ServerConfig;
import dev.coffer.storage.StorageBackend;
import dev.coffer.storage.StorageFactories;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code coffer operator diagnose -config=...}: checks a server configuration without serving. Each check
 * prints one line, {@code [ ok ]}, {@code [warn]} or {@code [fail]}, and every warning or failure says what
 * to do. Exit code: 0 all passed, 2 warnings only, 1 at least one failure.
 */
public final class Diagnose {
    /** A round trip slower than this means the KMS is far away (another region) or overloaded. */
    static final long SLOW_ROUND_TRIP_MS = 250;
    private final PrintStream out;
    private int failures;
    private int warnings;

    private Diagnose(PrintStream out) {
        this.out = out;
    }

    public static int run(List<Path> configPaths, PrintStream out) {
        Diagnose d = new Diagnose(out);
        d.runAll(configPaths);
        out.printf("%n%d failure(s), %d warning(s)%n", d.failures, d.warnings);
        return d.failures > 0 ? 1 : d.warnings > 0 ? 2 : 0;
    }

    private void runAll(List<Path> configPaths) {
        ServerConfig config;
        try {
            config = ConfigLoader.load(configPaths);
            ok("configuration " + configPaths + " parsed and validated");
        } catch (ConfigException e) {
            fail("configuration: " + e.getMessage());
            return;
        }
        config.warnings().forEach(w -> warn("configuration: " + w));
        config.listeners().forEach(this::checkListener);
        StorageBackend storage = checkStorage(config);
        checkSeal(config, storage);
        if (storage != null) {
            storage.close();
        }
    }

    private void checkListener(ListenerConfig l) {
        InetSocketAddress addr;
        try {
            addr = Listener.parseAddress(l.address());
        } catch (IllegalArgumentException e) {
            fail("listener " + l.address() + ": " + e.getMessage());
            return;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(addr.getHostString(), addr.getPort()));
            ok("listener " + l.address() + ": address can be bound");
        } catch (Exception e) {
            warn("listener " + l.address() + ": cannot bind (" + e.getMessage() + "); another process (a running "
                    + "Coffer?) holds the port, or the host is not an address of this machine");
        }
        if (l.tlsDisable()) {
            warn("listener " + l.address() + ": tls_disable is set; tokens and secrets would cross the network in clear"
                    + " text; set tls_cert_file and tls_key_file instead");
            return;
        }
        checkTls(l);
    }

    private void checkTls(ListenerConfig l) {
        try {
            List<X509Certificate> chain = Listener.loadKeys(l).certChain();
            if (chain.isEmpty()) {
                fail("listener " + l.address() + ": tls_cert_file " + l.tlsCertFile() + " holds no certificate");
                return;
            }
            Instant notAfter = chain.get(0).getNotAfter().toInstant();
            if (notAfter.isBefore(Instant.now())) {
                fail("listener " + l.address() + ": the certificate expired on " + notAfter + "; renew it");
            } else if (notAfter.isBefore(Instant.now().plus(Duration.ofDays(30)))) {
                warn("listener " + l.address() + ": the certificate expires on " + notAfter + "; renew it soon");
            } else {
                ok("listener " + l.address() + ": TLS key pair loads; certificate valid until " + notAfter);
            }
            Listener.protocols(l.tlsMinVersion());
        } catch (RuntimeException e) {
            fail("listener " + l.address() + ": " + e.getMessage());
        }
    }

    private StorageBackend checkStorage(ServerConfig config) {
        String type = config.storage().type();
        StorageBackend storage;
        try {
            storage = StorageFactories.create(type, config.storage().params());
        } catch (RuntimeException e) {
            fail("storage \"" + type + "\": " + e.getMessage());
            return null;
        }
        byte[] probe = new byte[8];
        new SecureRandom().nextBytes(probe);
        String key = "sys/diagnose/probe-" + HexFormat.of().formatHex(probe);
        try {
            storage.put(key, probe);
            boolean readBack = storage.get(key).map(v -> Arrays.equals(v, probe)).orElse(false);
            storage.delete(key);
            if (!readBack) {
                fail("storage \"" + type + "\": a value written could not be read back identically");
                return storage;
            }
            ok("storage \"" + type + "\": write, read and delete of a probe value work");
        } catch (RuntimeException e) {
            fail("storage \"" + type + "\": " + e.getMessage());
        }
        return storage;
    }

    private void checkSeal(ServerConfig config, StorageBackend storage) {
        if (config.activeSeal() == null) {
            ok("seal: shamir (unseal keys are needed after every start)");
            if (storage != null && SealProbe.usesAutoSeal(storage)) {
                if (config.disabledSeal() != null) {
                    ok("seal: migration from the disabled " + config.disabledSeal().type() + " seal to shamir: after "
                            + "the start, run `coffer operator unseal -migrate` with the recovery keys");
                } else {
                    fail("seal: the storage was initialized with an auto seal but the configuration has no seal stanza; "
                            + "add that seal stanza back, or mark it disabled = \"true\" to migrate to shamir");
                }
            }
            return;
        }
        List<SealConfig> seals = config.activeSeals();
        boolean multi = config.enableMultiseal() || seals.size() > 1;
        List<String> copies = storage == null || !multi ? List.of() : SealProbe.storedCopyNames(storage);
        int unwrapping = 0;
        for (SealConfig each : seals) {
            String label = multi ? "seal \"" + each.name() + "\" (" + each.type() + ", priority " + each.priority() + ")"
                    : "seal \"" + each.type() + "\"";
            if (multi && storage != null && SealProbe.usesAutoSeal(storage) && !copies.isEmpty()
                    && !copies.contains(each.name())) {
                warn(label + ": holds no copy of the root key yet; the server gives it one once it has unsealed "
                        + "through another seal");
            }
            if (checkOne(each, label, storage)) {
                unwrapping++;
            }
        }
        if (multi && storage != null && SealProbe.usesAutoSeal(storage)) {
            if (unwrapping == 0) {
                fail("seals: none of the " + seals.size() + " seals unwraps the stored root key; the server would stay "
                        + "sealed: fix one of them first (see the lines above)");
            } else {
                ok("seals: " + unwrapping + " of " + seals.size() + " unwrap the stored root key; the server unseals "
                        + "itself while any one of them works");
            }
        }
    }

    /** One seal's checks; true when it unwraps the stored root key. */
    private boolean checkOne(SealConfig seal, String label, StorageBackend storage) {
        KmsWrapper kms;
        try {
            kms = KmsWrappers.create(seal.type(), seal.params());
            ok(label + ": configuration accepted; current key " + kms.keyId());
        } catch (SealException e) {
            fail(label + " (" + e.reason() + "): " + e.getMessage());
            return false;
        } catch (RuntimeException e) {
            fail(label + ": " + e.getMessage());
            return false;
        }
        try (kms) {
            roundTrip(label, seal.type(), kms);
            return storage != null && probeStoredRootKey(label, kms, storage);
        }
    }

    private void roundTrip(String label, String type, KmsWrapper kms) {
        byte[] sample = "coffer diagnose".getBytes(StandardCharsets.UTF_8);
        try {
            long start = System.nanoTime();
            BlobInfo blob = kms.encrypt(sample, sample);
            byte[] back = kms.decrypt(blob, sample);
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (!Arrays.equals(back, sample)) {
                fail(label + ": encrypt/decrypt round trip returned different bytes");
            } else if (ms > SLOW_ROUND_TRIP_MS) {
                warn(label + ": encrypt/decrypt round trip took " + ms + " ms (over " + SLOW_ROUND_TRIP_MS
                        + " ms): deploy the " + ("azurekeyvault".equals(type) ? "Key Vault" : "KMS")
                        + " in the same region as the servers; every unseal and health check pays this latency");
            } else {
                ok(label + ": encrypt/decrypt round trip in " + ms + " ms");
            }
        } catch (SealException e) {
            fail(label + " round trip (" + e.reason() + "): " + e.getMessage());
        }
    }

    private boolean probeStoredRootKey(String label, KmsWrapper kms, StorageBackend storage) {
        SealProbe.Result r = SealProbe.probe(storage, kms);
        if (!r.initialized()) {
            ok(label + ": storage not initialized yet; run `coffer operator init` after starting");
        } else if (r.unwrapped()) {
            ok(label + ": the stored root key (wrapped with key " + r.storedKeyId()
                    + ") unwraps; the server will unseal itself");
            return true;
        } else {
            fail(label + ": the stored root key (wrapped with key " + r.storedKeyId() + ") does not unwrap ("
                    + r.error().reason() + "): " + r.error().getMessage());
        }
        return false;
    }

    private void ok(String message) {
        out.println("[ ok ] " + message);
    }

    private void warn(String message) {
        warnings++;
        out.println("[warn] " + message);
    }

    private void fail(String message) {
        failures++;
        out.println("[fail] " + message);
    }
}
