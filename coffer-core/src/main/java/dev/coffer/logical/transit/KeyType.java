package dev.coffer.logical.transit;

import dev.coffer.CofferException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The key types a transit key can have, with what each one can do. */
enum KeyType {
    AES128_GCM96("aes128-gcm96", Family.AEAD, 16),
    AES256_GCM96("aes256-gcm96", Family.AEAD, 32),
    CHACHA20_POLY1305("chacha20-poly1305", Family.AEAD, 32),
    ED25519("ed25519", Family.EDDSA, 0),
    ECDSA_P256("ecdsa-p256", Family.ECDSA, 256),
    ECDSA_P384("ecdsa-p384", Family.ECDSA, 384),
    ECDSA_P521("ecdsa-p521", Family.ECDSA, 521),
    RSA_2048("rsa-2048", Family.RSA, 2048),
    RSA_3072("rsa-3072", Family.RSA, 3072),
    RSA_4096("rsa-4096", Family.RSA, 4096);

    enum Family { AEAD, EDDSA, ECDSA, RSA }

    private final String apiName;
    private final Family family;
    /** Bytes of secret key for AEAD types, bits of the curve or modulus for asymmetric types. */
    private final int size;

    KeyType(String apiName, Family family, int size) {
        this.apiName = apiName;
        this.family = family;
        this.size = size;
    }

    String apiName() {
        return apiName;
    }

    Family family() {
        return family;
    }

    int size() {
        return size;
    }

    boolean symmetric() {
        return family == Family.AEAD;
    }

    boolean supportsEncryption() {
        return family == Family.AEAD || family == Family.RSA;
    }

    boolean supportsSigning() {
        return family != Family.AEAD;
    }

    /** Only the AEAD types derive per-context keys here (Vault also derives ed25519 keys; Coffer does not). */
    boolean supportsDerivation() {
        return family == Family.AEAD;
    }

    /** The JCA algorithm of the secret key of an AEAD type. */
    String jcaKeyAlgorithm() {
        return this == CHACHA20_POLY1305 ? "ChaCha20" : "AES";
    }

    /** The JCA cipher transformation of an AEAD type. */
    String jcaCipher() {
        return this == CHACHA20_POLY1305 ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding";
    }

    static KeyType parse(String name) {
        for (KeyType t : values()) {
            if (t.apiName.equals(name)) {
                return t;
            }
        }
        throw new CofferException.BadRequest("unknown key type \"" + name + "\"; supported types: "
                + Arrays.stream(values()).map(KeyType::apiName).collect(Collectors.joining(", ")));
    }
}
