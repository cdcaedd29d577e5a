package dev.coffer.seal.transit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.api.ApiResponse;
import dev.coffer.api.CofferClient;
import dev.coffer.seal.BlobInfo;
import dev.coffer.seal.Envelope;
import dev.coffer.seal.KmsWrapper;
import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seal wrapper backed by a key of the transit engine on another Coffer (or Vault) node. No envelope: the
 * framed plaintext goes to {@code <mount>/encrypt/<key>} and the returned {@code vault:vN:...} string is the
 * blob's ciphertext; its {@code vN} (with {@code key_id_prefix}) is the blob's key id.
 *
 * <p>Transit has no associated data, so the aad is bound inside the encrypted payload:
 * {@code 0x01 | SHA-256(aad) | plaintext}. Transit's AEAD keeps the digest from being changed, and decrypt
 * compares it with the digest of the aad it is given (constant time) before returning anything.
 */
public final class TransitSealWrapper implements KmsWrapper {

    public static final String TYPE = "transit";
    public static final String MECHANISM = "transit+sha256-aad";
    private static final Logger LOG = LoggerFactory.getLogger(TransitSealWrapper.class);
    private static final byte FORMAT = 1;
    private static final int HEADER = 1 + 32;
    private static final Pattern CIPHERTEXT = Pattern.compile("vault:v([1-9][0-9]{0,9}):[A-Za-z0-9+/=]+");
    private static final byte[] HEALTH_PROBE = "coffer transit seal health check".getBytes(StandardCharsets.US_ASCII);

    private final TransitSealConfig config;
    private final CofferClient client;
    private final TokenRenewer renewer;
    /** The newest key version seen (0 until the transit node answered once). */
    private volatile long latestVersion;

    TransitSealWrapper(TransitSealConfig config, CofferClient client, Duration renewEvery, Duration renewalRetry) {
        this.config = Objects.requireNonNull(config, "config");
        this.client = Objects.requireNonNull(client, "client");
        if (config.tlsSkipVerify()) {
            LOG.warn("transit seal: tls_skip_verify is set: the transit node's certificate is not checked, so anyone on"
                    + " the network path to {} can impersonate it and read the root key; use tls_ca_cert instead",
                    config.address());
        }
        try {
            refreshLatestVersion();
            LOG.info("transit seal: using key '{}' version {} on mount {} at {}", config.keyName(), latestVersion,
                    config.mountPath(), config.address());
        } catch (SealException e) {
            // not fatal: the auto-unsealer reports and retries; the version is learned on the first success
            LOG.warn("{} (startup check; retried when unsealing)", e.getMessage());
        }
        this.renewer = config.disableRenewal() ? null
                : new TokenRenewer(client, config, renewEvery, renewalRetry).start();
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** {@code key_id_prefix} + {@code vN}, N the newest key version seen; "" before the node ever answered. */
    @Override
    public String keyId() {
        long v = latestVersion;
        return v == 0 ? "" : config.keyIdPrefix() + "v" + v;
    }

    /** The address of the transit node. */
    public String address() {
        return config.address();
    }

    /** Renewals done so far (tests). */
    int tokenRenewals() {
        return renewer == null ? 0 : renewer.renewals();
    }

    @Override
    public BlobInfo encrypt(byte[] plaintext, byte[] aad) throws SealException {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] framed = new byte[HEADER + plaintext.length];
        framed[0] = FORMAT;
        System.arraycopy(Envelope.aadDigest(aad), 0, framed, 1, 32);
        System.arraycopy(plaintext, 0, framed, HEADER, plaintext.length);
        String encoded = Base64.getEncoder().encodeToString(framed);
        Arrays.fill(framed, (byte) 0);
        ObjectNode body = CofferClient.mapper().createObjectNode().put("plaintext", encoded);
        JsonNode data = post("encrypt", config.encryptPath(), body);
        String ciphertext = data.path("ciphertext").asText("");
        Matcher m = CIPHERTEXT.matcher(ciphertext);
        if (!m.matches()) {
            throw new SealException(Reason.OTHER, "transit seal: " + config.address() + "/v1/" + config.encryptPath()
                    + " answered without a vault:vN: ciphertext: is mount_path '" + config.mountPath()
                    + "' a transit mount?");
        }
        long version = Long.parseLong(m.group(1));
        noteVersion(version);
        return new BlobInfo(TYPE, MECHANISM, config.keyIdPrefix() + "v" + version, null, null,
                ciphertext.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public byte[] decrypt(BlobInfo blob, byte[] aad) throws SealException {
        blob.requireWrappedBy(TYPE, MECHANISM);
        String ciphertext = new String(blob.ciphertext(), StandardCharsets.US_ASCII);
        Matcher m = CIPHERTEXT.matcher(ciphertext);
        if (!m.matches() || !blob.keyId().equals(config.keyIdPrefix() + "v" + m.group(1))) {
            throw new SealException(Reason.INTEGRITY, "transit seal: the stored blob is corrupt (its ciphertext is not"
                    + " a vault:vN: value of the recorded key id '" + blob.keyId() + "'; with key_id_prefix '"
                    + config.keyIdPrefix() + "')");
        }
        ObjectNode body = CofferClient.mapper().createObjectNode().put("ciphertext", ciphertext);
        JsonNode data = post("decrypt", config.decryptPath(), body);
        byte[] framed;
        try {
            framed = Base64.getDecoder().decode(data.path("plaintext").asText(""));
        } catch (IllegalArgumentException e) {
            throw new SealException(Reason.INTEGRITY, "transit seal: the transit node returned a plaintext that is not"
                    + " base64", e);
        }
        try {
            if (framed.length < HEADER || framed[0] != FORMAT) {
                throw new SealException(Reason.INTEGRITY, "transit seal: the decrypted blob has no Coffer header: the"
                        + " ciphertext was not made by this seal");
            }
            if (!MessageDigest.isEqual(Arrays.copyOfRange(framed, 1, HEADER), Envelope.aadDigest(aad))) {
                throw new SealException(Reason.INTEGRITY, "transit seal: the blob was encrypted for other associated"
                        + " data (it was copied from another place or node)");
            }
            return Arrays.copyOfRange(framed, HEADER, framed.length);
        } finally {
            Arrays.fill(framed, (byte) 0);
        }
    }

    /**
     * Encrypts and decrypts a constant, which needs exactly the permissions the seal needs, and notices a key
     * rotation (new blobs then use the newest version).
     */
    @Override
    public void healthCheck() throws SealException {
        long before = latestVersion;
        BlobInfo probe = encrypt(HEALTH_PROBE, new byte[0]);
        if (!Arrays.equals(HEALTH_PROBE, decrypt(probe, new byte[0]))) {
            throw new SealException(Reason.INTEGRITY, "transit seal: the health check's round trip returned other bytes");
        }
        if (before != 0 && before != latestVersion) {
            LOG.info("transit seal: key '{}' has a new version {} (was {}); new blobs use it", config.keyName(),
                    latestVersion, before);
        }
    }

    @Override
    public void close() {
        if (renewer != null) {
            renewer.close();
        }
        client.close();
    }

    /** Reads {@code latest_version} of the key; a token without read on the key falls back to an encrypt. */
    private void refreshLatestVersion() throws SealException {
        TransitErrors.Attempt attempt = new TransitErrors.Attempt("read key", config.keyPath(), config);
        ApiResponse response = exchange("GET", config.keyPath(), null, attempt);
        if (response.isSuccess() && response.body() != null) {
            long version = response.body().path("data").path("latest_version").asLong(0);
            if (version > 0) {
                latestVersion = version;
                return;
            }
        }
        if (response.status() == 404 && TransitErrors.errors(response.body()).isEmpty()) {
            throw new SealException(Reason.KEY_NOT_FOUND, "transit seal: key '" + config.keyName() + "' does not exist"
                    + " on mount " + config.mountPath() + " at " + config.address() + ": create it (POST /v1/"
                    + config.keyPath() + ") or fix key_name/mount_path");
        }
        // the policy the seal needs grants update on encrypt/decrypt only, not read on the key
        encrypt(HEALTH_PROBE, new byte[0]);
    }

    private void noteVersion(long version) {
        long before = latestVersion;
        if (version != before) {
            latestVersion = version;
        }
    }

    private JsonNode post(String operation, String path, JsonNode body) throws SealException {
        TransitErrors.Attempt attempt = new TransitErrors.Attempt(operation, path, config);
        ApiResponse response = exchange("PUT", path, body, attempt);
        if (!response.isSuccess() || response.body() == null) {
            throw TransitErrors.fromResponse(attempt, response);
        }
        return response.body().path("data");
    }

    private ApiResponse exchange(String method, String path, JsonNode body, TransitErrors.Attempt attempt)
            throws SealException {
        try {
            return client.raw(method, path, body);
        } catch (RuntimeException e) {
            throw TransitErrors.fromThrown(attempt, e);
        }
    }
}
