package dev.coffer.seal.aws;

import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.util.Set;

/**
 * Turns what the AWS SDK throws into a {@link SealException} with one actionable message per failure class.
 * Classification uses the service's error code ({@code __type} of the JSON error), never message text.
 * Messages name the endpoint, region, key and IAM action but never a secret key, token or key material.
 */
final class AwsErrors {

    private static final Set<String> BAD_CREDENTIALS = Set.of("UnrecognizedClientException",
            "InvalidSignatureException", "ExpiredTokenException", "ExpiredToken", "InvalidClientTokenId",
            "SignatureDoesNotMatch", "IncompleteSignature", "MissingAuthenticationToken", "InvalidAccessKeyId");
    private static final Set<String> KEY_NOT_FOUND = Set.of("NotFoundException", "DisabledException",
            "KMSInvalidStateException");
    private static final Set<String> THROTTLED = Set.of("ThrottlingException", "Throttling",
            "TooManyRequestsException", "RequestLimitExceeded");
    private static final Set<String> INTEGRITY = Set.of("InvalidCiphertextException", "IncorrectKeyException");
    private static final Set<String> SERVICE_UNAVAILABLE = Set.of("KMSInternalException",
            "DependencyTimeoutException", "KeyUnavailableException", "ServiceUnavailable", "InternalFailure");

    /** What was being attempted: {@code action} is the IAM action, e.g. {@code kms:Encrypt}. */
    record Attempt(String action, AwsSealConfig config, String keyId) {

        String where() {
            return "AWS KMS at " + config.endpointDescription() + " (region " + config.region() + ")";
        }
    }

    private AwsErrors() {
    }

    static SealException translate(SdkException thrown, Attempt attempt) {
        if (thrown instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return fromService(service, attempt);
        }
        if (thrown instanceof ApiCallTimeoutException || thrown instanceof ApiCallAttemptTimeoutException
                || networkCause(thrown) != null) {
            Throwable cause = networkCause(thrown);
            return new SealException(Reason.UNREACHABLE, "awskms seal: cannot reach " + attempt.where() + " for '"
                    + attempt.action() + "' (" + describe(cause == null ? thrown : cause) + "): check the endpoint,"
                    + " DNS, security groups, VPC endpoint and proxy settings", thrown);
        }
        return new SealException(Reason.OTHER, "awskms seal: '" + attempt.action() + "' on key '" + attempt.keyId()
                + "' at " + attempt.where() + " failed unexpectedly (" + thrown.getClass().getSimpleName()
                + "): see the server log for the cause", thrown);
    }

    /**
     * The credential provider failed before any KMS call: no provider of the chain found credentials, or STS
     * refused to hand out role credentials. Network failures keep their own class.
     */
    static SealException credentials(SdkException thrown, CredentialSelector.Kind kind, AwsSealConfig config) {
        Throwable network = networkCause(thrown);
        if (network != null && !(thrown instanceof AwsServiceException)) {
            return new SealException(Reason.UNREACHABLE, "awskms seal: cannot reach the credential source ("
                    + kind + ") for region " + config.region() + " (" + describe(network) + "): check network access"
                    + " to STS, the container credentials endpoint or the instance metadata service", thrown);
        }
        String detail = thrown instanceof AwsServiceException service && service.awsErrorDetails() != null
                ? "STS answered " + service.awsErrorDetails().errorCode() + ": the identity needs sts:AssumeRole"
                + " (or sts:AssumeRoleWithWebIdentity) on role_arn '" + config.roleArn() + "' and the role's trust"
                + " policy must allow it"
                : "set access_key and secret_key (or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), a shared credentials"
                + " profile (shared_creds_filename, shared_creds_profile / AWS_PROFILE), web identity"
                + " (web_identity_token_file + role_arn), or run with an ECS/EKS task role or an EC2 instance profile";
        return new SealException(Reason.BAD_CREDENTIALS, "awskms seal: could not obtain AWS credentials ("
                + kind + "): " + detail, thrown);
    }

    private static SealException fromService(AwsServiceException e, Attempt attempt) {
        String code = String.valueOf(e.awsErrorDetails().errorCode());
        if (BAD_CREDENTIALS.contains(code)) {
            return new SealException(Reason.BAD_CREDENTIALS, "awskms seal: " + attempt.where() + " rejected the"
                    + " credentials for '" + attempt.action() + "' (" + code + "): check access_key/secret_key"
                    + " (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) and session_token; ExpiredTokenException means"
                    + " temporary credentials expired: refresh them or use a role instead of static keys;"
                    + " InvalidSignatureException usually means a wrong secret key or a skewed clock", e);
        }
        if ("AccessDeniedException".equals(code) || "AccessDenied".equals(code)) {
            return new SealException(Reason.PERMISSION_DENIED, "awskms seal: " + attempt.where() + " denied '"
                    + attempt.action() + "' on key '" + attempt.keyId() + "' to this identity: allow "
                    + attempt.action() + " on the key's ARN in the identity's IAM policy and in the key policy (the"
                    + " seal needs kms:Encrypt, kms:Decrypt and kms:DescribeKey)", e);
        }
        if (KEY_NOT_FOUND.contains(code)) {
            return new SealException(Reason.KEY_NOT_FOUND, "awskms seal: key '" + attempt.keyId() + "' is missing,"
                    + " disabled or pending deletion in " + attempt.where() + " ('" + attempt.action() + "' failed: "
                    + code + "): check kms_key_id (VAULT_AWSKMS_SEAL_KEY_ID) and the region; enable the key or cancel"
                    + " its deletion; a key that wrapped a stored blob must stay usable until Coffer re-wrapped it", e);
        }
        if (THROTTLED.contains(code) || e.statusCode() == 429) {
            return new SealException(Reason.THROTTLED, "awskms seal: " + attempt.where() + " throttled '"
                    + attempt.action() + "' (" + code + "; the KMS request quota is shared by every caller in the"
                    + " account and region): retry later, reduce other KMS traffic, or request a higher quota", e);
        }
        if (INTEGRITY.contains(code)) {
            return new SealException(Reason.INTEGRITY, "awskms seal: AWS KMS refused to decrypt the wrapped data key"
                    + " (" + code + "): the stored blob was altered, is used for another purpose than it was written"
                    + " for, or belongs to another key; restore the stored value from a backup", e);
        }
        if ("InvalidKeyUsageException".equals(code)) {
            return new SealException(Reason.CONFIG, "awskms seal: key '" + attempt.keyId() + "' cannot be used for '"
                    + attempt.action() + "' (" + code + "): use a symmetric key with key usage ENCRYPT_DECRYPT", e);
        }
        if (SERVICE_UNAVAILABLE.contains(code) || e.statusCode() >= 500) {
            return new SealException(Reason.UNREACHABLE, "awskms seal: " + attempt.where() + " failed '"
                    + attempt.action() + "' with " + code + " (HTTP " + e.statusCode() + "): it is retried; check the"
                    + " AWS Health Dashboard if this persists", e);
        }
        return new SealException(Reason.OTHER, "awskms seal: " + attempt.where() + " rejected '" + attempt.action()
                + "' on key '" + attempt.keyId() + "' with " + code + " (HTTP " + e.statusCode() + ")", e);
    }

    private static Throwable networkCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException || c.getClass().getSimpleName().contains("Timeout")) {
                return c;
            }
        }
        return null;
    }

    private static String describe(Throwable t) {
        String name = t.getClass().getSimpleName();
        return t.getMessage() == null ? name : name + ": " + t.getMessage();
    }
}
