package dev.coffer.seal.aws;

import dev.coffer.seal.BlobInfo;
import dev.coffer.seal.Envelope;
import dev.coffer.seal.EnvelopeKmsWrapper;
import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Seal wrapper backed by a symmetric AWS KMS key. Envelope encryption ({@link EnvelopeKmsWrapper}): a fresh
 * AES-256-GCM data key per blob, encrypted by KMS ({@code Encrypt}); the blob records the key ARN that KMS
 * reports, and decryption asks KMS to decrypt with exactly that key. KMS keeps every backing version of a
 * rotated key, so rotation never strands a blob and the ARN does not change.
 *
 * <p>Guarantee: the data key leaves this process only encrypted by KMS; decrypt returns the plaintext only if
 * the blob and the associated data are exactly those encrypt produced.
 */
public final class AwsKmsWrapper extends EnvelopeKmsWrapper {

    public static final String TYPE = "awskms";
    public static final String MECHANISM = "aws-kms-symmetric+aes-256-gcm";
    /** Encryption context entry binding the caller's associated data; a hash, because CloudTrail logs it. */
    static final String CONTEXT_KEY = "coffer:aad-sha256";
    private static final Logger LOG = LoggerFactory.getLogger(AwsKmsWrapper.class);

    private final AwsSealConfig config;
    private final KmsClient kms;
    private final AutoCloseable credentials;
    private volatile String keyArn;

    /** Connects: describes the key, checks it is an enabled symmetric encryption key and learns its ARN. */
    AwsKmsWrapper(AwsSealConfig config, KmsClient kms, AutoCloseable credentials, SecureRandom random) throws SealException {
        super(TYPE, MECHANISM, random);
        this.config = Objects.requireNonNull(config, "config");
        this.kms = Objects.requireNonNull(kms, "kms");
        this.credentials = credentials;
        try {
            refreshKeyArn();
        } catch (SealException e) {
            close();
            throw e;
        }
        LOG.info("awskms seal: using key {} (configured as '{}') via {}", keyArn, config.kmsKeyId(),
                config.endpointDescription());
    }

    /** The ARN of the key new blobs are encrypted with, as DescribeKey reported it. */
    @Override
    public String keyId() {
        return keyArn;
    }

    @Override
    protected String wrappingKey() {
        return keyArn;
    }

    @Override
    protected WrappedKey wrap(String arn, byte[] dataKey, byte[] aad) throws SealException {
        EncryptResponse response = call(() -> kms.encrypt(r -> r.keyId(arn)
                .plaintext(SdkBytes.fromByteArrayUnsafe(dataKey)).encryptionContext(context(aad))),
                "kms:Encrypt", arn);
        String reported = response.keyId() == null || response.keyId().isEmpty() ? arn : response.keyId();
        return new WrappedKey(reported, response.ciphertextBlob().asByteArray());
    }

    @Override
    protected byte[] unwrap(BlobInfo blob, byte[] aad) throws SealException {
        if (!blob.keyId().startsWith("arn:") || blob.wrappedKey().length == 0) {
            throw new SealException(Reason.INTEGRITY, "awskms seal: the blob names no KMS key ARN ('" + blob.keyId()
                    + "') or has no encrypted data key: the stored blob is corrupt");
        }
        DecryptResponse response = call(() -> kms.decrypt(r -> r.keyId(blob.keyId())
                .ciphertextBlob(SdkBytes.fromByteArrayUnsafe(blob.wrappedKey())).encryptionContext(context(aad))),
                "kms:Decrypt", blob.keyId());
        return response.plaintext().asByteArray();
    }

    /** Describes the key (kms:DescribeKey); notices an alias that now points at another key. */
    @Override
    public void healthCheck() throws SealException {
        String before = keyArn;
        refreshKeyArn();
        if (before != null && !before.equals(keyArn)) {
            LOG.info("awskms seal: '{}' now names key {} (was {}); new blobs use it", config.kmsKeyId(), keyArn, before);
        }
    }

    @Override
    public void close() {
        kms.close();
        if (credentials != null) {
            try {
                credentials.close();
            } catch (Exception e) {
                LOG.debug("awskms seal: closing the credential provider failed", e);
            }
        }
    }

    private void refreshKeyArn() throws SealException {
        KeyMetadata key = call(() -> kms.describeKey(r -> r.keyId(config.kmsKeyId())), "kms:DescribeKey",
                config.kmsKeyId()).keyMetadata();
        if (key.keyState() != KeyState.ENABLED) {
            throw new SealException(Reason.KEY_NOT_FOUND, "awskms seal: key " + key.arn() + " (configured as '"
                    + config.kmsKeyId() + "') is in state " + key.keyStateAsString() + ", not Enabled: enable it"
                    + " (aws kms enable-key) or cancel its deletion (aws kms cancel-key-deletion)");
        }
        if (key.keyUsage() != KeyUsageType.ENCRYPT_DECRYPT || key.keySpec() != KeySpec.SYMMETRIC_DEFAULT) {
            throw new SealException(Reason.CONFIG, "awskms seal: key " + key.arn() + " has key spec "
                    + key.keySpecAsString() + " and usage " + key.keyUsageAsString() + ", but the seal needs a"
                    + " symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT): create one with"
                    + " 'aws kms create-key' without --key-spec");
        }
        keyArn = key.arn();
    }

    private <T> T call(Supplier<T> request, String action, String keyId) throws SealException {
        try {
            return request.get();
        } catch (SdkException e) {
            throw AwsErrors.translate(e, new AwsErrors.Attempt(action, config, keyId));
        }
    }

    private static Map<String, String> context(byte[] aad) {
        return Map.of(CONTEXT_KEY, Base64.getEncoder().encodeToString(Envelope.aadDigest(aad)));
    }
}
