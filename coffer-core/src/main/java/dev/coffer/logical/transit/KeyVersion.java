package dev.coffer.logical.transit;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.coffer.CofferException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;

/**
 * The material of one version of a transit key: a secret key for the AEAD types, a key pair for the
 * asymmetric ones, and for every type a separate HMAC key (so {@code hmac/} never reuses the encryption key).
 * Secret bytes are reachable only through methods named {@code secret...}, so every use is greppable.
 */
final class KeyVersion {
    private final Instant created;
    private final byte[] secret;
    private final byte[] hmacKey;
    private final KeyPair keyPair;
    private final SecretKeySpec secretSpec;

    private KeyVersion(KeyType type, Instant created, byte[] secret, byte[] hmacKey, KeyPair keyPair) {
        this.created = created;
        this.secret = secret;
        this.hmacKey = hmacKey;
        this.keyPair = keyPair;
        this.secretSpec = secret == null ? null : new SecretKeySpec(secret, type.jcaKeyAlgorithm());
    }

    static KeyVersion generate(KeyType type, Instant now, SecureRandom random) {
        byte[] hmac = new byte[32];
        random.nextBytes(hmac);
        if (type.symmetric()) {
            byte[] key = new byte[type.size()];
            random.nextBytes(key);
            return new KeyVersion(type, now, key, hmac, null);
        }
        return new KeyVersion(type, now, null, hmac, generatePair(type, random));
    }

    private static KeyPair generatePair(KeyType type, SecureRandom random) {
        try {
            KeyPairGenerator g;
            switch (type.family()) {
                case EDDSA -> g = KeyPairGenerator.getInstance("Ed25519");
                case ECDSA -> {
                    g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp" + type.size() + "r1"), random);
                }
                case RSA -> {
                    g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(new RSAKeyGenParameterSpec(type.size(), RSAKeyGenParameterSpec.F4), random);
                }
                default -> throw new IllegalArgumentException(type.apiName());
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new CofferException.Internal("this JVM cannot generate " + type.apiName() + " keys", e);
        }
    }

    Instant created() {
        return created;
    }

    /** The raw AEAD key; callers must not keep or log it. */
    byte[] secretKeyBytes() {
        return secret;
    }

    /** The AEAD key as a JCA key (AES or ChaCha20). */
    SecretKeySpec secretKeySpec() {
        return secretSpec;
    }

    byte[] secretHmacKey() {
        return hmacKey;
    }

    PrivateKey privateKey() {
        return keyPair == null ? null : keyPair.getPrivate();
    }

    PublicKey publicKey() {
        return keyPair == null ? null : keyPair.getPublic();
    }

    /** Zeroes the secret bytes this object holds (JCA private keys cannot be wiped reliably; they are dropped). */
    void wipe() {
        if (secret != null) {
            Arrays.fill(secret, (byte) 0);
        }
        Arrays.fill(hmacKey, (byte) 0);
        if (secretSpec != null) {
            try {
                secretSpec.destroy();
            } catch (javax.security.auth.DestroyFailedException e) {
                // older JDKs cannot destroy a SecretKeySpec; the copy is dropped with this object
            }
        }
    }

    /** The stored form: base64 fields, private keys as PKCS#8 and public keys as X.509 SubjectPublicKeyInfo. */
    record Stored(@JsonProperty("creation_time") String creationTime, @JsonProperty("key") String key,
                  @JsonProperty("hmac_key") String hmacKey, @JsonProperty("private_key") String privateKey,
                  @JsonProperty("public_key") String publicKey) {
    }

    Stored toStored() {
        Base64.Encoder b = Base64.getEncoder();
        return new Stored(created.toString(), secret == null ? null : b.encodeToString(secret), b.encodeToString(hmacKey),
                keyPair == null ? null : b.encodeToString(keyPair.getPrivate().getEncoded()),
                keyPair == null ? null : b.encodeToString(keyPair.getPublic().getEncoded()));
    }

    static KeyVersion fromStored(KeyType type, Stored s) {
        Base64.Decoder d = Base64.getDecoder();
        byte[] secret = s.key() == null ? null : d.decode(s.key());
        KeyPair pair = null;
        if (!type.symmetric()) {
            try {
                KeyFactory f = KeyFactory.getInstance(switch (type.family()) {
                    case EDDSA -> "Ed25519";
                    case ECDSA -> "EC";
                    default -> "RSA";
                });
                pair = new KeyPair(f.generatePublic(new X509EncodedKeySpec(d.decode(s.publicKey()))),
                        f.generatePrivate(new PKCS8EncodedKeySpec(d.decode(s.privateKey()))));
            } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
                throw new CofferException.Internal("a stored " + type.apiName() + " transit key cannot be decoded; the "
                        + "storage may be corrupt", e);
            }
        }
        return new KeyVersion(type, Instant.parse(s.creationTime()), secret, d.decode(s.hmacKey()), pair);
    }
}
