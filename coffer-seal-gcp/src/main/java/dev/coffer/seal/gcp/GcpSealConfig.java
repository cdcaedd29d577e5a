package dev.coffer.seal.gcp;

import dev.coffer.seal.SealException;
import dev.coffer.seal.SealParams;
import dev.coffer.seal.SealException.Reason;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * The resolved settings of a {@code seal "gcpckms"} stanza. Environment variables win over the stanza, as in
 * Vault. Missing optional values are empty strings, never null.
 *
 * @param credentials a path to a credentials JSON file, the JSON itself, or "" for Application Default Credentials
 * @param endpoint    the Cloud KMS REST endpoint without a trailing slash
 */
record GcpSealConfig(String credentials, String project, String region, String keyRing, String cryptoKey,
                     URI endpoint) {

    static final String DEFAULT_REGION = "global";
    static final URI DEFAULT_ENDPOINT = URI.create("https://cloudkms.googleapis.com");
    private static final String SEGMENT = "[A-Za-z0-9_-]{1,63}";

    @Override
    public String toString() {
        // never prints the credentials: they may be the service-account JSON with its private key
        return "GcpSealConfig[key=" + cryptoKeyName() + ", endpoint=" + endpoint + ", credentials="
                + (credentials.isEmpty() ? "application default" : inlineCredentials() ? "inline JSON" : credentials) + "]";
    }

    boolean inlineCredentials() {
        return credentials.startsWith("{");
    }

    /** {@code projects/P/locations/R/keyRings/K/cryptoKeys/C}. */
    String cryptoKeyName() {
        return "projects/" + project + "/locations/" + region + "/keyRings/" + keyRing + "/cryptoKeys/" + cryptoKey;
    }

    static GcpSealConfig resolve(Map<String, String> stanza, Map<String, String> env) throws SealException {
        SealParams in = new SealParams("gcpckms", stanza, env);
        // as in Vault: GOOGLE_CREDENTIALS, then GOOGLE_APPLICATION_CREDENTIALS, then the stanza
        String credentials = in.get(null, "GOOGLE_CREDENTIALS");
        if (credentials.isEmpty()) {
            credentials = in.get("credentials", "GOOGLE_APPLICATION_CREDENTIALS");
        }
        String project = in.require("project", "GOOGLE_PROJECT", "the Google Cloud project id that holds the key ring");
        String region = in.get("region", "GOOGLE_REGION");
        if (region.isEmpty()) {
            region = DEFAULT_REGION;
        }
        String keyRing = in.require("key_ring", "VAULT_GCPCKMS_SEAL_KEY_RING", "the key ring's name");
        String cryptoKey = in.require("crypto_key", "VAULT_GCPCKMS_SEAL_CRYPTO_KEY", "the crypto key's name");
        check(project, "project", "GOOGLE_PROJECT", "[a-z][a-z0-9.:-]{1,62}");
        check(region, "region", "GOOGLE_REGION", "[a-z0-9-]{1,40}");
        check(keyRing, "key_ring", "VAULT_GCPCKMS_SEAL_KEY_RING", SEGMENT);
        check(cryptoKey, "crypto_key", "VAULT_GCPCKMS_SEAL_CRYPTO_KEY", SEGMENT);
        String endpoint = in.get("endpoint", null);
        return new GcpSealConfig(credentials, project, region, keyRing, cryptoKey,
                endpoint.isEmpty() ? DEFAULT_ENDPOINT : endpoint(endpoint));
    }

    private static void check(String value, String parameter, String envVar, String pattern) throws SealException {
        if (!value.matches(pattern)) {
            throw new SealException(Reason.CONFIG, "gcpckms seal: " + parameter + " '" + value + "' (parameter '"
                    + parameter + "' or " + envVar + ") is not a valid name: give the bare name (e.g. "
                    + switch (parameter) {
                        case "project" -> "my-project";
                        case "region" -> "global or europe-west1";
                        case "key_ring" -> "coffer-keyring";
                        default -> "coffer-unseal";
                    } + "), not a resource path");
        }
    }

    private static URI endpoint(String value) throws SealException {
        try {
            return SealParams.httpUrl(new URI(value.replaceAll("/+$", "")), value);
        } catch (URISyntaxException e) {
            throw new SealException(Reason.CONFIG, "gcpckms seal: endpoint '" + value + "' is not a valid URL ("
                    + e.getReason() + "): use e.g. https://cloudkms.googleapis.com or a Private Service Connect"
                    + " endpoint such as https://cloudkms-myendpoint.p.googleapis.com", e);
        }
    }
}
