package dev.coffer.seal.azure;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/** The fake's keys: each name has versions (newest last), each a JCA RSA-2048 key pair that can be disabled. */
final class FakeKeyStore {

    static final class Version {
        final String id;
        final KeyPair pair;
        volatile boolean enabled = true;

        Version(String id, KeyPair pair) {
            this.id = id;
            this.pair = pair;
        }
    }

    private static final OAEPParameterSpec OAEP_256 = new OAEPParameterSpec("SHA-256", "MGF1",
            MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
    private final Map<String, List<Version>> keys = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** Creates the key or adds a version (like {@code az keyvault key rotate}); returns the new version id. */
    synchronized String rotate(String name) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        byte[] id = new byte[16];
        random.nextBytes(id);
        Version version = new Version(HexFormat.of().formatHex(id), generator.generateKeyPair());
        keys.computeIfAbsent(name, n -> new ArrayList<>()).add(version);
        return version.id;
    }

    synchronized Version find(String name, String versionId) {
        List<Version> versions = keys.get(name);
        if (versions == null || versions.isEmpty()) {
            return null;
        }
        if (versionId == null || versionId.isEmpty()) {
            return versions.get(versions.size() - 1);
        }
        return versions.stream().filter(v -> v.id.equals(versionId)).findFirst().orElse(null);
    }

    static byte[] wrap(Version version, byte[] key) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        cipher.init(Cipher.ENCRYPT_MODE, version.pair.getPublic(), OAEP_256);
        return cipher.doFinal(key);
    }

    static byte[] unwrap(Version version, byte[] wrapped) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        cipher.init(Cipher.DECRYPT_MODE, version.pair.getPrivate(), OAEP_256);
        return cipher.doFinal(wrapped);
    }

    /** The JSON Web Key as Key Vault returns it (public part only, base64url without padding). */
    static Map<String, Object> jwk(Version version, String kid) {
        RSAPublicKey publicKey = (RSAPublicKey) version.pair.getPublic();
        return Map.of("kid", kid, "kty", "RSA", "key_ops",
                List.of("encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"),
                "n", b64url(unsigned(publicKey.getModulus())), "e", b64url(unsigned(publicKey.getPublicExponent())));
    }

    static String b64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
