package dev.coffer.seal.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.seal.BlobInfo;
import dev.coffer.seal.Envelope;
import dev.coffer.seal.EnvelopeKmsWrapper;
import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Seal wrapper backed by a Google Cloud KMS symmetric CryptoKey (purpose ENCRYPT_DECRYPT). Envelope encryption
 * ({@link EnvelopeKmsWrapper}): a fresh AES-256-GCM data key per blob, encrypted by Cloud KMS
 * ({@code cryptoKeys.encrypt}, which uses the key's primary version); the blob records the CryptoKeyVersion name
 * that Encrypt reports. Decryption calls
 * {@code cryptoKeys.decrypt} on that version's CryptoKey: the ciphertext names its version, which Cloud KMS
 * picks, so rotating the primary version never strands a blob while the old version stays enabled.
 *
 * <p>The caller's associated data is bound twice: by the local GCM tag, and as Cloud KMS
 * {@code additionalAuthenticatedData} (its SHA-256, so the aad's size never matters). Requests and responses carry
 * CRC32C checksums, as Google recommends, so corruption in transit is detected.
 *
 * <p>Guarantee: the data key leaves this process only encrypted by Cloud KMS; decrypt returns the plaintext only if
 * the blob and the associated data are exactly those encrypt produced.
 */
public final class GcpCkmsWrapper extends EnvelopeKmsWrapper {

    public static final String TYPE = "gcpckms";
    public static final String MECHANISM = "gcp-ckms-symmetric+aes-256-gcm";
    static final String PERMISSION_GET = "cloudkms.cryptoKeys.get";
    static final String PERMISSION_ENCRYPT = "cloudkms.cryptoKeyVersions.useToEncrypt";
    static final String PERMISSION_DECRYPT = "cloudkms.cryptoKeyVersions.useToDecrypt";
    private static final Pattern VERSION_NAME = Pattern.compile(
            "(projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+)/cryptoKeyVersions/[0-9]+");
    private static final Logger LOG = LoggerFactory.getLogger(GcpCkmsWrapper.class);
    private static final Base64.Encoder B64 = Base64.getEncoder();

    private final GcpSealConfig config;
    private final KmsRest kms;
    private volatile String primaryVersion;

    /** Connects: gets the CryptoKey, checks its purpose and that its primary version is enabled. */
    GcpCkmsWrapper(GcpSealConfig config, KmsRest kms, SecureRandom random) throws SealException {
        super(TYPE, MECHANISM, random);
        this.config = Objects.requireNonNull(config, "config");
        this.kms = Objects.requireNonNull(kms, "kms");
        try {
            kms.authorize();
            refreshPrimary();
        } catch (SealException e) {
            close();
            throw e;
        }
        LOG.info("gcpckms seal: using {} via {}", primaryVersion, config.endpoint());
    }

    /** The name of the CryptoKey's primary CryptoKeyVersion, which Encrypt uses. */
    @Override
    public String keyId() {
        return primaryVersion;
    }

    /** The CryptoKey: Cloud KMS encrypts with its primary version and reports which one that was. */
    @Override
    protected String wrappingKey() {
        return config.cryptoKeyName();
    }

    @Override
    protected WrappedKey wrap(String cryptoKey, byte[] dataKey, byte[] aad) throws SealException {
        JsonNode response = kms.post(cryptoKey, "encrypt", body("plaintext", dataKey, aad), PERMISSION_ENCRYPT);
        if (!response.path("verifiedPlaintextCrc32c").asBoolean(false)
                || !response.path("verifiedAdditionalAuthenticatedDataCrc32c").asBoolean(false)) {
            throw corruptedInTransit("encrypt request");
        }
        byte[] wrapped = base64(response, "ciphertext", "encrypt");
        checkCrc(response, "ciphertextCrc32c", wrapped, "encrypt response");
        String version = response.path("name").asText("");
        if (!VERSION_NAME.matcher(version).matches()) {
            throw new SealException(Reason.OTHER, "gcpckms seal: Cloud KMS answered encrypt without a"
                    + " CryptoKeyVersion name ('" + version + "'): is the endpoint a Cloud KMS endpoint?");
        }
        return new WrappedKey(version, wrapped);
    }

    @Override
    protected byte[] unwrap(BlobInfo blob, byte[] aad) throws SealException {
        Matcher version = VERSION_NAME.matcher(blob.keyId());
        if (!version.matches() || blob.wrappedKey().length == 0) {
            throw new SealException(Reason.INTEGRITY, "gcpckms seal: the blob names no CryptoKeyVersion ('"
                    + blob.keyId() + "') or has no encrypted data key: the stored blob is corrupt");
        }
        JsonNode response = kms.post(version.group(1), "decrypt", body("ciphertext", blob.wrappedKey(), aad),
                PERMISSION_DECRYPT);
        byte[] dataKey = base64(response, "plaintext", "decrypt");
        try {
            checkCrc(response, "plaintextCrc32c", dataKey, "decrypt response");
        } catch (SealException e) {
            Arrays.fill(dataKey, (byte) 0);
            throw e;
        }
        return dataKey;
    }

    /** Gets the CryptoKey ({@code cloudkms.cryptoKeys.get}); adopts a new primary version for new blobs. */
    @Override
    public void healthCheck() throws SealException {
        String before = primaryVersion;
        refreshPrimary();
        if (before != null && !before.equals(primaryVersion)) {
            LOG.info("gcpckms seal: the primary version of {} is now {} (was {}); new blobs use it",
                    config.cryptoKeyName(), primaryVersion, before);
        }
    }

    @Override
    public void close() {
        kms.close();
    }

    private void refreshPrimary() throws SealException {
        String name = config.cryptoKeyName();
        JsonNode key = kms.get(name, PERMISSION_GET);
        String purpose = key.path("purpose").asText("");
        if (!"ENCRYPT_DECRYPT".equals(purpose)) {
            throw new SealException(Reason.CONFIG, "gcpckms seal: crypto key " + name + " has purpose '" + purpose
                    + "', but the seal needs a symmetric key with purpose ENCRYPT_DECRYPT: create one with"
                    + " 'gcloud kms keys create ... --purpose=encryption'");
        }
        JsonNode primary = key.path("primary");
        String version = primary.path("name").asText("");
        if (version.isEmpty()) {
            throw new SealException(Reason.KEY_NOT_FOUND, "gcpckms seal: crypto key " + name + " has no primary"
                    + " version: set one with 'gcloud kms keys set-primary-version'");
        }
        String state = primary.path("state").asText("");
        if (!"ENABLED".equals(state)) {
            throw new SealException(Reason.KEY_NOT_FOUND, "gcpckms seal: the primary version " + version + " is "
                    + state + ", not ENABLED: enable it ('gcloud kms keys versions enable') or make an enabled"
                    + " version primary ('gcloud kms keys set-primary-version')");
        }
        primaryVersion = version;
    }

    /**
     * A request body carrying {@code value} in {@code field} and the SHA-256 of the aad as
     * {@code additionalAuthenticatedData}, each with its CRC32C.
     */
    private static Map<String, Object> body(String field, byte[] value, byte[] aad) {
        byte[] kmsAad = Envelope.aadDigest(aad);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(field, B64.encodeToString(value));
        body.put("additionalAuthenticatedData", B64.encodeToString(kmsAad));
        body.put(field + "Crc32c", Long.toString(crc32c(value)));
        body.put("additionalAuthenticatedDataCrc32c", Long.toString(crc32c(kmsAad)));
        return body;
    }

    private static byte[] base64(JsonNode response, String field, String call) throws SealException {
        try {
            byte[] value = Base64.getDecoder().decode(response.path(field).asText(""));
            if (value.length == 0) {
                throw new IllegalArgumentException("empty");
            }
            return value;
        } catch (IllegalArgumentException e) {
            throw new SealException(Reason.OTHER, "gcpckms seal: Cloud KMS answered " + call + " without a valid '"
                    + field + "': is the endpoint a Cloud KMS endpoint?", e);
        }
    }

    private static void checkCrc(JsonNode response, String field, byte[] value, String what) throws SealException {
        JsonNode crc = response.get(field);
        if (crc != null && !crc.isNull() && !Long.toString(crc32c(value)).equals(crc.asText())) {
            throw corruptedInTransit(what);
        }
    }

    private static SealException corruptedInTransit(String what) {
        return new SealException(Reason.OTHER, "gcpckms seal: the CRC32C checksum of the " + what + " did not"
                + " match: the data was corrupted in transit (a proxy altering bodies?); the operation is safe to retry");
    }

    static long crc32c(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return crc.getValue();
    }
}
