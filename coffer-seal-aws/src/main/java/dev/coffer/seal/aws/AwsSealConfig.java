package dev.coffer.seal.aws;

import dev.coffer.seal.SealException;
import dev.coffer.seal.SealParams;
import dev.coffer.seal.SealException.Reason;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * The resolved settings of a {@code seal "awskms"} stanza. Environment variables win over the stanza, as in
 * Vault. Missing optional values are empty strings, never null.
 *
 * @param endpoint the KMS endpoint override without a trailing slash, or null for the region's AWS endpoint
 */
record AwsSealConfig(String region, String accessKey, String secretKey, String sessionToken, String kmsKeyId,
                     URI endpoint, String sharedCredsFilename, String sharedCredsProfile, String roleArn,
                     String roleSessionName, String webIdentityTokenFile) {

    static final String DEFAULT_REGION = "us-east-1";
    static final String DEFAULT_ROLE_SESSION_NAME = "coffer-awskms-seal";

    @Override
    public String toString() {
        // never prints the secret key or the session token
        return "AwsSealConfig[region=" + region + ", key=" + kmsKeyId + ", endpoint=" + endpointDescription()
                + ", accessKey=" + (accessKey.isEmpty() ? "unset" : accessKey) + ", secretKey="
                + (secretKey.isEmpty() ? "unset" : "set") + ", sessionToken=" + (sessionToken.isEmpty() ? "unset" : "set")
                + ", profile=" + sharedCredsProfile + ", roleArn=" + roleArn + "]";
    }

    /** Where requests go, for messages: the override, or the region's public endpoint. */
    String endpointDescription() {
        return endpoint != null ? endpoint.toString() : "https://kms." + region + ".amazonaws.com";
    }

    boolean staticCredentials() {
        return !accessKey.isEmpty();
    }

    static AwsSealConfig resolve(Map<String, String> stanza, Map<String, String> env) throws SealException {
        SealParams in = new SealParams("awskms", stanza, env);
        // as in Vault: AWS_REGION, then AWS_DEFAULT_REGION, then the stanza, then us-east-1
        String region = in.get(null, "AWS_REGION");
        if (region.isEmpty()) {
            region = in.get("region", "AWS_DEFAULT_REGION");
        }
        if (region.isEmpty()) {
            region = DEFAULT_REGION;
        }
        if (!region.matches("[a-z0-9-]{1,40}")) {
            throw new SealException(Reason.CONFIG, "awskms seal: region '" + region + "' (parameter 'region' or"
                    + " AWS_REGION / AWS_DEFAULT_REGION) is not an AWS region name: use e.g. us-east-1");
        }
        String kmsKeyId = in.require("kms_key_id", "VAULT_AWSKMS_SEAL_KEY_ID",
                "the KMS key: its id, its ARN, or alias/NAME");
        String accessKey = in.get("access_key", "AWS_ACCESS_KEY_ID");
        String secretKey = in.get("secret_key", "AWS_SECRET_ACCESS_KEY");
        if (accessKey.isEmpty() != secretKey.isEmpty()) {
            throw new SealException(Reason.CONFIG, "awskms seal: " + (accessKey.isEmpty()
                    ? "secret_key (AWS_SECRET_ACCESS_KEY) is set but access_key (AWS_ACCESS_KEY_ID) is missing"
                    : "access_key (AWS_ACCESS_KEY_ID) is set but secret_key (AWS_SECRET_ACCESS_KEY) is missing")
                    + ": static credentials need both, or remove both to use the default credential chain");
        }
        String sessionToken = in.get("session_token", "AWS_SESSION_TOKEN");
        String endpoint = in.get("endpoint", "AWS_KMS_ENDPOINT");
        String roleSessionName = in.get("role_session_name", "AWS_ROLE_SESSION_NAME");
        return new AwsSealConfig(region, accessKey, secretKey, accessKey.isEmpty() ? "" : sessionToken, kmsKeyId,
                endpoint.isEmpty() ? null : endpoint(endpoint),
                in.get("shared_creds_filename", "AWS_SHARED_CREDENTIALS_FILE"),
                in.get("shared_creds_profile", "AWS_PROFILE"), in.get("role_arn", "AWS_ROLE_ARN"),
                roleSessionName.isEmpty() ? DEFAULT_ROLE_SESSION_NAME : roleSessionName,
                in.get("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE"));
    }

    private static URI endpoint(String value) throws SealException {
        try {
            return SealParams.httpUrl(new URI(value.replaceAll("/+$", "")), value);
        } catch (URISyntaxException e) {
            throw new SealException(Reason.CONFIG, "awskms seal: endpoint '" + value + "' (parameter 'endpoint' or"
                    + " AWS_KMS_ENDPOINT) is not a valid URL (" + e.getReason() + "): use e.g."
                    + " https://vpce-0123-abcd.kms.us-east-1.vpce.amazonaws.com", e);
        }
    }
}
