package dev.coffer.seal.gcp;

import com.google.api.client.http.HttpResponseException;
import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;

import java.net.http.HttpTimeoutException;
import java.util.Set;

/**
 * Turns Cloud KMS and OAuth2 failures into a {@link SealException} with one actionable message per failure
 * class. Classification uses the canonical status of Google's error body ({@code error.status}, the gRPC code
 * name), falling back to the HTTP status, never message text. Messages name the endpoint, key and permission
 * but never a token or key material.
 */
final class GcpErrors {

    static final String ROLE = "roles/cloudkms.cryptoKeyEncrypterDecrypter";
    static final Set<String> RETRYABLE = Set.of("UNAVAILABLE", "DEADLINE_EXCEEDED", "INTERNAL", "RESOURCE_EXHAUSTED");

    /** What was being attempted: {@code method} is the REST method, {@code permission} the IAM permission it needs. */
    record Attempt(String method, String permission, String resource, GcpSealConfig config) {

        String where() {
            return "Cloud KMS at " + config.endpoint();
        }
    }

    private GcpErrors() {
    }

    /** The canonical status name for an HTTP status, for error bodies without {@code error.status}. */
    static String statusOf(int http) {
        return switch (http) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 412 -> "FAILED_PRECONDITION";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 501 -> "UNIMPLEMENTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> http >= 500 ? "INTERNAL" : "UNKNOWN";
        };
    }

    static SealException fromStatus(String status, int http, String message, Attempt a) {
        String said = " (" + status + ", HTTP " + http + (message == null || message.isBlank() ? "" : ": " + message) + ")";
        return switch (status) {
            case "UNAUTHENTICATED" -> new SealException(Reason.BAD_CREDENTIALS, "gcpckms seal: " + a.where()
                    + " rejected the access token for " + a.method() + said + ": check the credentials file"
                    + " (credentials / GOOGLE_CREDENTIALS / GOOGLE_APPLICATION_CREDENTIALS); the service-account key"
                    + " may have been deleted or disabled, or has expired: create a new key");
            case "PERMISSION_DENIED" -> new SealException(Reason.PERMISSION_DENIED, "gcpckms seal: " + a.where()
                    + " denied " + a.method() + " on '" + a.resource() + "'" + said + ": grant the service account"
                    + " the role " + ROLE + " on the crypto key (it holds cloudkms.cryptoKeyVersions.useToEncrypt and"
                    + " cloudkms.cryptoKeyVersions.useToDecrypt; this call needs " + a.permission() + "), plus"
                    + " cloudkms.cryptoKeys.get (e.g. roles/cloudkms.viewer) for the startup check; also check that"
                    + " project, region, key_ring and crypto_key name an existing key (Google answers"
                    + " PERMISSION_DENIED for keys the caller cannot see)");
            case "NOT_FOUND" -> new SealException(Reason.KEY_NOT_FOUND, "gcpckms seal: '" + a.resource()
                    + "' does not exist in " + a.where() + said + ": check project (GOOGLE_PROJECT), region"
                    + " (GOOGLE_REGION, the key ring's location), key_ring (VAULT_GCPCKMS_SEAL_KEY_RING) and"
                    + " crypto_key (VAULT_GCPCKMS_SEAL_CRYPTO_KEY)");
            case "FAILED_PRECONDITION" -> new SealException(Reason.KEY_NOT_FOUND, "gcpckms seal: the key version"
                    + " needed for " + a.method() + " on '" + a.resource() + "' is not enabled" + said + ": enable it"
                    + " (gcloud kms keys versions enable) or restore it if it is scheduled for destruction; a version"
                    + " that wrapped a stored blob must stay enabled until Coffer re-wrapped it");
            case "RESOURCE_EXHAUSTED" -> new SealException(Reason.THROTTLED, "gcpckms seal: " + a.where()
                    + " throttled " + a.method() + said + ": the cryptographic request quota is per project and"
                    + " region; retry later, reduce other KMS traffic, or request a higher quota");
            case "INVALID_ARGUMENT" -> a.method().endsWith(":decrypt")
                    ? new SealException(Reason.INTEGRITY, "gcpckms seal: Cloud KMS refused to decrypt the wrapped"
                    + " data key" + said + ": the stored blob was altered, is used for another purpose than it was"
                    + " written for, or belongs to another key; restore the stored value from a backup")
                    : new SealException(Reason.OTHER, "gcpckms seal: " + a.where() + " rejected " + a.method()
                    + " on '" + a.resource() + "'" + said);
            case "UNAVAILABLE", "DEADLINE_EXCEEDED", "INTERNAL" -> new SealException(Reason.UNREACHABLE,
                    "gcpckms seal: " + a.where() + " failed " + a.method() + said + ": it is retried; check the"
                    + " Google Cloud status page if this persists");
            default -> new SealException(Reason.OTHER, "gcpckms seal: " + a.where() + " rejected " + a.method()
                    + " on '" + a.resource() + "'" + said);
        };
    }

    static SealException network(Throwable cause, Attempt a) {
        String what = cause instanceof HttpTimeoutException || cause == null ? "no answer within the deadline"
                : describe(cause);
        return new SealException(Reason.UNREACHABLE, "gcpckms seal: cannot reach " + a.where() + " for " + a.method()
                + " (" + what + "): check the endpoint, DNS, firewall rules, Private Google Access / Private Service"
                + " Connect and proxy settings", cause);
    }

    /** Obtaining an access token failed (token endpoint, metadata server, or no credentials at all). */
    static SealException credentials(Throwable thrown, GcpSealConfig config) {
        HttpResponseException http = find(thrown, HttpResponseException.class);
        String source = config.credentials().isEmpty() ? "Application Default Credentials"
                : config.inlineCredentials() ? "the inline credentials JSON" : "credentials file '" + config.credentials() + "'";
        if (http != null) {
            int code = http.getStatusCode();
            if (code == 429) {
                return new SealException(Reason.THROTTLED, "gcpckms seal: the OAuth2 token endpoint throttled the"
                        + " token request for " + source + " (HTTP 429): retry later", thrown);
            }
            if (code >= 500) {
                return new SealException(Reason.UNREACHABLE, "gcpckms seal: the OAuth2 token endpoint failed (HTTP "
                        + code + ") for " + source + ": it is retried", thrown);
            }
            return new SealException(Reason.BAD_CREDENTIALS, "gcpckms seal: the OAuth2 token endpoint refused " + source
                    + " (HTTP " + code + firstLine(http.getContent()) + "): the service-account key may have been"
                    + " deleted, disabled or expired, or the account removed; create a new key and point credentials"
                    + " (GOOGLE_CREDENTIALS / GOOGLE_APPLICATION_CREDENTIALS) at it", thrown);
        }
        if (thrown instanceof java.util.concurrent.TimeoutException || find(thrown, java.net.ConnectException.class) != null
                || find(thrown, java.net.UnknownHostException.class) != null
                || find(thrown, java.net.SocketTimeoutException.class) != null) {
            return new SealException(Reason.UNREACHABLE, "gcpckms seal: cannot reach the OAuth2 token endpoint (or"
                    + " metadata server) for " + source + " (" + describe(thrown) + "): check network access to"
                    + " oauth2.googleapis.com / the metadata server and proxy settings", thrown);
        }
        return new SealException(Reason.BAD_CREDENTIALS, "gcpckms seal: could not obtain Google credentials from "
                + source + " (" + describe(thrown) + "): set credentials (or GOOGLE_CREDENTIALS /"
                + " GOOGLE_APPLICATION_CREDENTIALS) to a service-account key file or its JSON, or run where"
                + " Application Default Credentials exist (GCE/GKE metadata server, gcloud auth application-default login)",
                thrown);
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String firstLine(String content) {
        if (content == null || content.isBlank()) {
            return "";
        }
        String line = content.strip().lines().findFirst().orElse("");
        // token endpoint error bodies are {"error":"invalid_grant","error_description":"..."}: no secrets in them
        return ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line);
    }

    private static String describe(Throwable t) {
        String name = t.getClass().getSimpleName();
        return t.getMessage() == null ? name : name + ": " + t.getMessage();
    }
}
