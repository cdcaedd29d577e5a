package dev.coffer.seal.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.identity.CredentialUnavailableException;
import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns what the Azure SDK throws into a {@link SealException} with one actionable message per failure class.
 * Messages name the vault, key, version and operation but never a secret, token or key material.
 */
final class AzureErrors {

    static final String ROLE = "Key Vault Crypto Service Encryption User";
    private static final Pattern AADSTS = Pattern.compile("AADSTS\\d+");
    private static final Pattern PRESENTED = Pattern.compile("Assertion Issuer: '([^']*)'\\. Assertion Subject: '([^']*)'");
    /** Entra ID's answers to a workload identity's federated token: no matching federated credential, expired, malformed. */
    private static final Set<String> FEDERATION_CODES = Set.of("AADSTS70021", "AADSTS700211", "AADSTS700212",
            "AADSTS700213", "AADSTS700024", "AADSTS50027");

    /**
     * What was being attempted: {@code operation} is the Key Vault permission name (get, wrapKey, unwrapKey);
     * {@code credential} says which identity was used, without secrets ({@link CredentialSelector#describe}).
     */
    record Attempt(String operation, String vaultUrl, String keyName, String version, CredentialSelector.Kind kind,
                   String credential) {

        String keyRef() {
            return "key '" + keyName + "'" + (version == null || version.isEmpty() ? "" : " version '" + version + "'");
        }
    }

    private AzureErrors() {
    }

    static SealException translate(Throwable thrown, Attempt attempt) {
        Throwable t = reactor.core.Exceptions.unwrap(thrown);
        Throwable network = networkCause(t);
        if (network != null) {
            return unreachable(attempt, network);
        }
        if (t instanceof ClientAuthenticationException auth) {
            return badCredentials(attempt, auth);
        }
        if (t instanceof HttpResponseException http && http.getResponse() != null) {
            return fromStatus(attempt, http);
        }
        String aadsts = aadstsCode(t);
        if (aadsts != null) {
            return badCredentials(attempt, t);
        }
        return new SealException(Reason.OTHER, "azurekeyvault seal: " + attempt.operation() + " on " + attempt.keyRef()
                + " at " + attempt.vaultUrl() + " failed unexpectedly (" + t.getClass().getSimpleName() + "): see the"
                + " server log for the cause", t);
    }

    private static SealException fromStatus(Attempt attempt, HttpResponseException http) {
        int status = http.getResponse().getStatusCode();
        return switch (status) {
            case 401 -> badCredentials(attempt, http);
            case 403 -> isDisabledKey(http) ? keyNotFound(attempt, http) : new SealException(Reason.PERMISSION_DENIED,
                    "azurekeyvault seal: Key Vault " + attempt.vaultUrl() + " denied the '" + attempt.operation()
                    + "' operation on " + attempt.keyRef() + " to this identity: assign it the RBAC role \"" + ROLE
                    + "\" on the key (it allows get, wrapKey and unwrapKey), or grant those key permissions in the"
                    + " vault's access policy", http);
            case 404 -> keyNotFound(attempt, http);
            case 429 -> new SealException(Reason.THROTTLED, "azurekeyvault seal: Key Vault " + attempt.vaultUrl()
                    + " throttled the '" + attempt.operation() + "' request (HTTP 429; a vault allows a few thousand"
                    + " key operations per 10 seconds, shared by every client of the vault): retry later and reduce"
                    + " other traffic on this vault or move it to its own vault", http);
            default -> status >= 500
                    ? new SealException(Reason.UNREACHABLE, "azurekeyvault seal: Key Vault " + attempt.vaultUrl()
                    + " failed the '" + attempt.operation() + "' request with HTTP " + status + ": it is retried;"
                    + " check the Azure status page if this persists", http)
                    : new SealException(Reason.OTHER, "azurekeyvault seal: Key Vault " + attempt.vaultUrl()
                    + " rejected the '" + attempt.operation() + "' request on " + attempt.keyRef() + " with HTTP "
                    + status + ": the key may not be an RSA key that allows wrapKey/unwrapKey", http);
        };
    }

    private static SealException badCredentials(Attempt attempt, Throwable cause) {
        String code = aadstsCode(cause);
        return new SealException(Reason.BAD_CREDENTIALS, "azurekeyvault seal: Azure rejected the credentials of "
                + attempt.credential() + " for '" + attempt.operation() + "' on " + attempt.keyRef() + " at "
                + attempt.vaultUrl() + (code == null ? "" : " (" + code + ")") + ": " + advice(attempt, cause, code),
                cause);
    }

    /** What to do, by what Entra ID or the managed identity endpoint said and by the kind of credential. */
    private static String advice(Attempt attempt, Throwable cause, String code) {
        if (code != null && FEDERATION_CODES.contains(code)) {
            return "Entra ID refused the federated token read from AZURE_FEDERATED_TOKEN_FILE" + presented(cause)
                    + ": give that client id a federated identity credential whose issuer is the cluster's OIDC issuer"
                    + " URL, whose subject is system:serviceaccount:<namespace>:<service account> of Coffer's pod and"
                    + " whose audience is api://AzureADTokenExchange (AADSTS700024 means the token expired: the file"
                    + " must be the projected service account token Kubernetes refreshes)";
        }
        // MSAL's words for IMDS's 400 "Identity not found"; in the default chain only the identity library's summary
        // of that answer survives (the chain keeps the messages of its legs, not their causes)
        if (mentions(cause, "has not been assigned to this resource") || mentions(cause, "Identity not found")
                || mentions(cause, "Managed Identity authentication is not available")) {
            return "no managed identity is assigned to this machine with that id (the managed identity endpoint"
                    + " answered that it was not found): "
                    + (attempt.kind() == CredentialSelector.Kind.MANAGED_IDENTITY
                    ? "attach the user-assigned identity whose client id is client_id to this VM, App Service or container"
                    : "enable the system-assigned identity of this VM or container, or attach a user-assigned one and"
                    + " set its client id as client_id")
                    + ", and give it the role \"" + ROLE + "\" on the key; or set tenant_id, client_id and client_secret"
                    + " to use a service principal";
        }
        if (cause instanceof CredentialUnavailableException) {
            String noEndpoint = mentions(cause, "IMDS endpoint cannot be established")
                    ? " (no managed identity endpoint answered either: this is not an Azure VM or container)" : "";
            return "no credential was found" + noEndpoint + ": set tenant_id, client_id and client_secret, or run on"
                    + " Azure with a managed identity (the server log has what each credential of the chain reported)";
        }
        return "check tenant_id/client_id/client_secret; AADSTS7000222 means the client secret expired:"
                + " create a new secret or use a managed identity";
    }

    /** The issuer and subject Entra ID read from a refused federated token, which tell the operator what to trust. */
    private static String presented(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            Matcher m = PRESENTED.matcher(String.valueOf(c.getMessage()));
            if (m.find()) {
                return " (it was issued by '" + m.group(1) + "' for subject '" + m.group(2) + "')";
            }
        }
        return "";
    }

    private static boolean mentions(Throwable t, String text) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (String.valueOf(c.getMessage()).contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static SealException keyNotFound(Attempt attempt, Throwable cause) {
        return new SealException(Reason.KEY_NOT_FOUND, "azurekeyvault seal: " + attempt.keyRef()
                + " is missing or disabled in Key Vault " + attempt.vaultUrl() + " ('" + attempt.operation()
                + "' failed): check key_name; a version that wrapped a stored blob must stay enabled until Coffer"
                + " has re-wrapped that blob under the newest version, so re-enable it if it was disabled", cause);
    }

    private static SealException unreachable(Attempt attempt, Throwable network) {
        String tls = network instanceof SSLException
                ? "; for a certificate error, the server's CA must be in the JVM's trust store (javax.net.ssl.trustStore)"
                : "";
        return new SealException(Reason.UNREACHABLE, "azurekeyvault seal: cannot reach Key Vault at "
                + attempt.vaultUrl() + " for '" + attempt.operation() + "' (" + describe(network) + "): check DNS,"
                + " firewall, private endpoint and proxy settings" + tls + "; if calls are slow, deploy the Key Vault"
                + " in the same region as Coffer", network);
    }

    /** Key Vault answers 403 with inner error code KeyDisabled for a disabled key or version. */
    private static boolean isDisabledKey(HttpResponseException http) {
        String message = http.getMessage();
        return message != null && message.contains("KeyDisabled");
    }

    private static Throwable networkCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException || c instanceof TimeoutException || c instanceof SSLException
                    || c.getClass().getSimpleName().contains("Timeout")) {
                return c;
            }
        }
        return null;
    }

    /** The exception, plus its root cause when that says more (TLS: "General OpenSslEngine problem" hides PKIX). */
    private static String describe(Throwable network) {
        String text = oneLine(network);
        Throwable root = network;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == network || root.getMessage() == null ? text : text + ", caused by " + oneLine(root);
    }

    private static String oneLine(Throwable t) {
        String name = t.getClass().getSimpleName();
        return t.getMessage() == null ? name : name + ": " + t.getMessage();
    }

    static String aadstsCode(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            Matcher m = AADSTS.matcher(String.valueOf(c.getMessage()));
            if (m.find()) {
                return m.group();
            }
        }
        return null;
    }
}
