package dev.coffer.logical.transit;

import dev.coffer.CofferException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;

/**
 * Signatures with one version of an asymmetric key. Ed25519 signs the input itself; ECDSA and RSA sign a
 * digest of it (computed here unless {@code prehashed}). ECDSA signatures are ASN.1 DER or, with the
 * {@code jws} marshaling, the fixed-length r|s form of JWS.
 */
final class Signer {

    /** What a sign or verify request asked for, already validated. */
    record Options(HashAlgorithm hash, boolean prehashed, String signatureAlgorithm, boolean jws, String saltLength) {
    }

    private Signer() {
    }

    static byte[] sign(KeyType type, KeyVersion kv, byte[] input, Options o) {
        try {
            return switch (type.family()) {
                case EDDSA -> {
                    Signature s = Signature.getInstance("Ed25519");
                    s.initSign(kv.privateKey());
                    s.update(input);
                    yield s.sign();
                }
                case ECDSA -> {
                    Signature s = Signature.getInstance("NONEwithECDSA");
                    s.initSign(kv.privateKey());
                    s.update(digest(input, o));
                    byte[] der = s.sign();
                    yield o.jws() ? derToJws(der, fieldBytes(kv)) : der;
                }
                case RSA -> rsaSign(kv, input, o);
                default -> throw notSigning(type);
            };
        } catch (GeneralSecurityException e) {
            throw new CofferException.Internal("signing with a " + type.apiName() + " key failed", e);
        }
    }

    static boolean verify(KeyType type, KeyVersion kv, byte[] input, byte[] signature, Options o) {
        try {
            return switch (type.family()) {
                case EDDSA -> {
                    Signature s = Signature.getInstance("Ed25519");
                    s.initVerify(kv.publicKey());
                    s.update(input);
                    yield s.verify(signature);
                }
                case ECDSA -> {
                    byte[] der = o.jws() ? jwsToDer(signature, fieldBytes(kv)) : signature;
                    Signature s = Signature.getInstance("NONEwithECDSA");
                    s.initVerify(kv.publicKey());
                    s.update(digest(input, o));
                    yield der != null && s.verify(der);
                }
                case RSA -> rsaVerify(kv, input, signature, o);
                default -> throw notSigning(type);
            };
        } catch (java.security.SignatureException e) {
            return false; // malformed signature bytes: simply not valid
        } catch (GeneralSecurityException e) {
            throw new CofferException.Internal("verifying with a " + type.apiName() + " key failed", e);
        }
    }

    private static byte[] rsaSign(KeyVersion kv, byte[] input, Options o) throws GeneralSecurityException {
        Signature s = rsaSignature(kv, o, true);
        s.initSign(kv.privateKey());
        s.update(rsaInput(input, o));
        return s.sign();
    }

    private static boolean rsaVerify(KeyVersion kv, byte[] input, byte[] sig, Options o) throws GeneralSecurityException {
        Signature s = rsaSignature(kv, o, true);
        s.initVerify(kv.publicKey());
        s.update(rsaInput(input, o));
        if (s.verify(sig)) {
            return true;
        }
        if (!"pss".equals(o.signatureAlgorithm()) || !"auto".equals(o.saltLength())) {
            return false;
        }
        // "auto" signs with the largest salt; a signer that used the hash length is accepted too
        Signature alt = rsaSignature(kv, o, false);
        alt.initVerify(kv.publicKey());
        alt.update(input);
        return alt.verify(sig);
    }

    private static Signature rsaSignature(KeyVersion kv, Options o, boolean maxSaltForAuto) throws GeneralSecurityException {
        if ("pkcs1v15".equals(o.signatureAlgorithm())) {
            return Signature.getInstance(o.prehashed() ? "NONEwithRSA" : o.hash().jcaName().replace("-", "") + "withRSA");
        }
        if (o.prehashed()) {
            throw new CofferException.BadRequest("prehashed input is supported with signature_algorithm pkcs1v15 but not "
                    + "pss; send the unhashed input or use pkcs1v15");
        }
        int modulusBytes = (((RSAKey) kv.publicKey()).getModulus().bitLength() + 7) / 8;
        int salt = switch (o.saltLength()) {
            case "auto" -> maxSaltForAuto ? modulusBytes - o.hash().length() - 2 : o.hash().length();
            case "hash" -> o.hash().length();
            default -> Integer.parseInt(o.saltLength());
        };
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new PSSParameterSpec(o.hash().jcaName(), "MGF1", new MGF1ParameterSpec(o.hash().jcaName()), salt,
                PSSParameterSpec.TRAILER_FIELD_BC));
        return s;
    }

    /** For pkcs1v15 over a caller's digest, the DER DigestInfo the signature scheme expects. */
    private static byte[] rsaInput(byte[] input, Options o) {
        if (!o.prehashed()) {
            return input;
        }
        checkDigestLength(input, o);
        byte[] prefix = DigestInfo.prefix(o.hash());
        byte[] out = Arrays.copyOf(prefix, prefix.length + input.length);
        System.arraycopy(input, 0, out, prefix.length, input.length);
        return out;
    }

    private static byte[] digest(byte[] input, Options o) {
        if (o.prehashed()) {
            checkDigestLength(input, o);
            return input;
        }
        return o.hash().digest(input);
    }

    private static void checkDigestLength(byte[] input, Options o) {
        if (input.length != o.hash().length()) {
            throw new CofferException.BadRequest("prehashed input must be a " + o.hash().apiName() + " digest of "
                    + o.hash().length() + " bytes, got " + input.length + " bytes");
        }
    }

    private static int fieldBytes(KeyVersion kv) {
        return (((ECKey) kv.publicKey()).getParams().getCurve().getField().getFieldSize() + 7) / 8;
    }

    private static CofferException notSigning(KeyType type) {
        return new CofferException.BadRequest("key type " + type.apiName() + " does not support signing; use an ed25519, "
                + "ecdsa-* or rsa-* key");
    }

    /** DER SEQUENCE { INTEGER r, INTEGER s } to r|s, each left-padded to the curve's field size. */
    static byte[] derToJws(byte[] der, int n) {
        int[] pos = {2};
        if ((der[1] & 0x80) != 0) {
            pos[0] = 2 + (der[1] & 0x7f);
        }
        byte[] out = new byte[2 * n];
        for (int i = 0; i < 2; i++) {
            int len = der[pos[0] + 1] & 0xff;
            BigInteger v = new BigInteger(1, Arrays.copyOfRange(der, pos[0] + 2, pos[0] + 2 + len));
            byte[] mag = v.toByteArray();
            int skip = mag.length > n ? mag.length - n : 0;
            System.arraycopy(mag, skip, out, (i + 1) * n - (mag.length - skip), mag.length - skip);
            pos[0] += 2 + len;
        }
        return out;
    }

    /** r|s to DER, or null when the length is wrong for this curve. */
    static byte[] jwsToDer(byte[] jws, int n) {
        if (jws.length != 2 * n) {
            return null;
        }
        byte[] r = new BigInteger(1, Arrays.copyOf(jws, n)).toByteArray();
        byte[] s = new BigInteger(1, Arrays.copyOfRange(jws, n, 2 * n)).toByteArray();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        derInteger(body, r);
        derInteger(body, s);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x30);
        derLength(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void derInteger(java.io.ByteArrayOutputStream out, byte[] v) {
        out.write(0x02);
        derLength(out, v.length);
        out.writeBytes(v);
    }

    private static void derLength(java.io.ByteArrayOutputStream out, int len) {
        if (len < 0x80) {
            out.write(len);
        } else {
            out.write(0x81);
            out.write(len);
        }
    }
}
