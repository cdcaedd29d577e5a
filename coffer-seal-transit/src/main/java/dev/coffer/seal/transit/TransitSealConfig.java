package dev.coffer.seal.transit;

import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;
import dev.coffer.seal.SealParams;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The resolved settings of a {@code seal "transit"} stanza. An environment variable, when set and not blank,
 * wins over the stanza (as in Vault).
 *
 * @param address       base URL of the node running the transit engine, without a trailing slash
 * @param mountPath     the transit mount, normalized to {@code name/} (no leading slash)
 * @param namespace     sent as {@code X-Vault-Namespace} when not empty
 * @param keyIdPrefix   prepended to the {@code vN} recorded as a blob's key id
 */
record TransitSealConfig(String address, String token, String keyName, String mountPath, String namespace,
                         boolean disableRenewal, Path tlsCaCert, Path tlsClientCert, Path tlsClientKey,
                         String tlsServerName, boolean tlsSkipVerify, String keyIdPrefix) {

    private static final String SEGMENT = "[A-Za-z0-9_][A-Za-z0-9_.@-]*";

    String encryptPath() {
        return mountPath + "encrypt/" + keyName;
    }

    String decryptPath() {
        return mountPath + "decrypt/" + keyName;
    }

    String keyPath() {
        return mountPath + "keys/" + keyName;
    }

    @Override
    public String toString() {
        // never prints the token
        return "TransitSealConfig[address=" + address + ", mount=" + mountPath + ", key=" + keyName
                + ", namespace=" + namespace + ", token=" + (token.isEmpty() ? "unset" : "set") + "]";
    }

    static TransitSealConfig resolve(Map<String, String> stanza, Map<String, String> env) throws SealException {
        SealParams in = new SealParams("transit", stanza, env);
        String address = normalizeAddress(in.require("address", "VAULT_ADDR",
                "the URL of the node with the transit engine, e.g. https://transit.example.com:8200"));
        String token = in.require("token", "VAULT_TOKEN", "a token allowed to use the transit key");
        String keyName = in.require("key_name", "VAULT_TRANSIT_SEAL_KEY_NAME", "the name of the transit key");
        if (!keyName.matches(SEGMENT)) {
            throw config("key_name '" + keyName + "' is not a transit key name (letters, digits, '_', '-', '.', '@')");
        }
        String mount = in.get("mount_path", "VAULT_TRANSIT_SEAL_MOUNT_PATH");
        mount = mount.replaceAll("^/+", "").replaceAll("/+$", "");
        if (mount.isEmpty()) {
            mount = "transit";
        }
        if (!mount.matches(SEGMENT + "(/" + SEGMENT + ")*")) {
            throw config("mount_path '" + mount + "' is not a mount path (e.g. \"transit/\")");
        }
        boolean skipVerify = bool(in, "tls_skip_verify", "VAULT_SKIP_VERIFY");
        return new TransitSealConfig(address, token, keyName, mount + "/", in.get("namespace", "VAULT_NAMESPACE"),
                bool(in, "disable_renewal", null), file(in, "tls_ca_cert", "VAULT_CACERT"),
                file(in, "tls_client_cert", "VAULT_CLIENT_CERT"), file(in, "tls_client_key", "VAULT_CLIENT_KEY"),
                emptyToNull(in.get("tls_server_name", "VAULT_TLS_SERVER_NAME")), skipVerify,
                in.get("key_id_prefix", null));
    }

    private static String normalizeAddress(String value) throws SealException {
        try {
            SealParams.httpUrl(new URI(value), value);
            return value.replaceAll("/+$", "");
        } catch (URISyntaxException e) {
            throw new SealException(Reason.CONFIG, "transit seal: address '" + value + "' is not a valid URL ("
                    + e.getReason() + "): use e.g. https://transit.example.com:8200", e);
        }
    }

    private static boolean bool(SealParams in, String parameter, String envVar) throws SealException {
        String value = in.get(parameter, envVar).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "", "0", "f", "false" -> false;
            case "1", "t", "true" -> true;
            default -> throw config(parameter + " must be true or false, got '" + value + "'");
        };
    }

    private static Path file(SealParams in, String parameter, String envVar) throws SealException {
        String value = in.get(parameter, envVar);
        if (value.isEmpty()) {
            return null;
        }
        Path path = Path.of(value);
        if (!Files.isReadable(path)) {
            throw config(parameter + " '" + value + "' is not a readable file");
        }
        return path;
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static SealException config(String message) {
        return new SealException(Reason.CONFIG, "transit seal: " + message);
    }
}
