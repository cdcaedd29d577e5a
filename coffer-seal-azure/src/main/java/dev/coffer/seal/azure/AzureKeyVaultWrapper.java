package dev.coffer.seal.azure;

import com.azure.security.keyvault.keys.models.KeyType;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import dev.coffer.seal.BlobInfo;
import dev.coffer.seal.EnvelopeKmsWrapper;
import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Seal wrapper backed by an RSA key in Azure Key Vault (or a Managed HSM). Envelope encryption
 * ({@link EnvelopeKmsWrapper}): a fresh AES-256-GCM data key per blob, wrapped by Key Vault with RSA-OAEP-256
 * under a <em>specific</em> key version that the blob records, so blobs stay readable after the key is rotated (as
 * long as old versions stay enabled).
 *
 * <p>Guarantee: the data key leaves this process only wrapped; decrypt returns the plaintext only if the blob
 * and the associated data are exactly those encrypt produced.
 */
public final class AzureKeyVaultWrapper extends EnvelopeKmsWrapper {

    public static final String TYPE = "azurekeyvault";
    public static final String MECHANISM = "rsa-oaep-256+aes-256-gcm";
    private static final Logger LOG = LoggerFactory.getLogger(AzureKeyVaultWrapper.class);

    private final AzureSealConfig config;
    private final KeyVaultClients clients;
    private final CredentialSelector.Kind credentialKind;
    private final String credential;
    private volatile String currentVersion;

    /**
     * Connects: reads the key, checks it is RSA and remembers its current version. Only a configuration error
     * (e.g. not an RSA key) fails here; when Key Vault is unreachable or refuses, the failure is logged and the
     * version is read again on first use, so the node can start sealed and the startup loop retries the unseal.
     */
    AzureKeyVaultWrapper(AzureSealConfig config, KeyVaultClients clients, SecureRandom random) throws SealException {
        super(TYPE, MECHANISM, random);
        this.config = Objects.requireNonNull(config, "config");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.credentialKind = CredentialSelector.kind(config);
        this.credential = CredentialSelector.describe(config);
        try {
            refreshKeyVersion();
            LOG.info("azurekeyvault seal: using key '{}' version {} in {}", config.keyName(), currentVersion, config.vaultUrl());
        } catch (SealException e) {
            if (e.reason() == Reason.CONFIG) {
                throw e;
            }
            LOG.warn("azurekeyvault seal: cannot read key '{}' at startup ({}): {}; will retry", config.keyName(),
                    e.reason(), e.getMessage());
        }
    }

    /**
     * The key version new blobs are wrapped with (the last segment of the Key Vault key id), or "" while Key
     * Vault has not been readable since startup (then it is read again here).
     */
    @Override
    public String keyId() {
        if (currentVersion == null) {
            try {
                refreshKeyVersion();
            } catch (SealException e) {
                return "";
            }
        }
        return currentVersion;
    }

    /** Same as {@link #keyId()}: the version found at startup or at the last {@link #healthCheck()}. */
    public String currentKeyVersion() {
        return keyId();
    }

    /** The Key Vault base URL in use. */
    public String vaultUrl() {
        return config.vaultUrl();
    }

    @Override
    protected String wrappingKey() throws SealException {
        if (currentVersion == null) {
            refreshKeyVersion();
        }
        return currentVersion;
    }

    @Override
    protected WrappedKey wrap(String version, byte[] dataKey, byte[] aad) throws SealException {
        byte[] wrapped = call(clients.crypto(version).wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, dataKey),
                attempt("wrapKey", version)).getEncryptedKey();
        return new WrappedKey(version, wrapped);
    }

    @Override
    protected byte[] unwrap(BlobInfo blob, byte[] aad) throws SealException {
        if (blob.keyId().isEmpty() || blob.keyId().contains("/")) {
            throw new SealException(Reason.INTEGRITY, "azurekeyvault seal: the blob names no valid key version ('"
                    + blob.keyId() + "'): the stored blob is corrupt");
        }
        return call(clients.crypto(blob.keyId()).unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, blob.wrappedKey()),
                attempt("unwrapKey", blob.keyId())).getKey();
    }

    /** Reads the key (permission 'get'), which also notices a rotation: new blobs then use the newest version. */
    @Override
    public void healthCheck() throws SealException {
        String before = currentVersion;
        refreshKeyVersion();
        if (before != null && !before.equals(currentVersion)) {
            LOG.info("azurekeyvault seal: key '{}' has a new version {} (was {}); new blobs use it",
                    config.keyName(), currentVersion, before);
        }
    }

    private void refreshKeyVersion() throws SealException {
        KeyVaultKey key = call(clients.keys().getKey(config.keyName()), attempt("get", ""));
        KeyType type = key.getKeyType();
        if (!KeyType.RSA.equals(type) && !KeyType.RSA_HSM.equals(type)) {
            throw new SealException(Reason.CONFIG, "azurekeyvault seal: key '" + config.keyName() + "' in "
                    + config.vaultUrl() + " is of type " + type + ", but the seal needs an RSA or RSA-HSM key"
                    + " (it wraps with RSA-OAEP-256): create one with 'az keyvault key create --kty RSA'");
        }
        currentVersion = versionOf(key.getId());
    }

    /** The last path segment of a key id such as {@code https://v.vault.azure.net/keys/name/0123abcd}. */
    static String versionOf(String keyId) throws SealException {
        String[] segments = keyId == null ? new String[0] : keyId.replaceAll("/+$", "").split("/");
        if (segments.length < 2 || !"keys".equals(segments.length >= 3 ? segments[segments.length - 3] : "")) {
            throw new SealException(Reason.OTHER, "azurekeyvault seal: Key Vault returned key id '" + keyId
                    + "' without a version: cannot record which version wraps the data key");
        }
        return segments[segments.length - 1];
    }

    private AzureErrors.Attempt attempt(String operation, String version) {
        return new AzureErrors.Attempt(operation, config.vaultUrl(), config.keyName(), version, credentialKind,
                credential);
    }

    private static <T> T call(Mono<T> request, AzureErrors.Attempt attempt) throws SealException {
        try {
            T result = request.timeout(KeyVaultClients.CALL_DEADLINE).block();
            if (result == null) {
                throw new SealException(Reason.OTHER, "azurekeyvault seal: Key Vault returned no result for '"
                        + attempt.operation() + "' on " + attempt.keyRef());
            }
            return result;
        } catch (RuntimeException e) {
            throw AzureErrors.translate(e, attempt);
        }
    }
}
