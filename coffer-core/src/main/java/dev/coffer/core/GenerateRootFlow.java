package dev.coffer.core;

import dev.coffer.CofferException;
import dev.coffer.token.TokenStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * {@code sys/generate-root/*}: a threshold of unseal key holders mint a new root token without any existing
 * token. The new token never crosses the wire in clear: it is XORed with a one-time pad (OTP) that only the
 * operator who started the attempt knows, and returned base64-encoded.
 *
 * <p>The OTP must be exactly {@link TokenStore#TOKEN_LENGTH} characters (the length of a token), so the XOR
 * covers the whole token. When the attempt is started without an OTP the server generates one and returns it
 * once. State is guarded by the owning {@link Core}'s monitor, like {@link RekeyFlow}.
 */
public final class GenerateRootFlow {
    public static final int OTP_LENGTH = TokenStore.TOKEN_LENGTH;
    private static final String OTP_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final SecureRandom random;
    private Core core;
    private Pending pending;

    GenerateRootFlow(SecureRandom random) {
        this.random = random;
    }

    void attach(Core owner) {
        this.core = owner;
    }

    private record Pending(String nonce, byte[] otp, ShareCollector collected) {
    }

    /**
     * Progress of an attempt. {@code otp} is set only in the answer to a start without an OTP;
     * {@code encodedToken} only once complete.
     */
    public record Status(boolean started, String nonce, int progress, int required, boolean complete,
                         String encodedToken, String otp) {
    }

    /** Starts an attempt; {@code otp} null or empty makes the server generate one (returned in the status). */
    public Status start(String otp) {
        synchronized (core) {
            requireUnsealed();
            if (pending != null) {
                throw new CofferException.Conflict("a root token generation is already in progress (nonce "
                        + pending.nonce() + "); finish it or cancel it with DELETE sys/generate-root/attempt");
            }
            String pad = otp == null || otp.isEmpty() ? newOtp() : otp;
            if (pad.length() != OTP_LENGTH) {
                throw new CofferException.BadRequest("the OTP must be " + OTP_LENGTH + " characters long (the length "
                        + "of a token), got " + pad.length() + "; run operator generate-root -init to get one");
            }
            pending = new Pending(ShareCollector.newNonce(random), pad.getBytes(StandardCharsets.UTF_8), new ShareCollector());
            Status s = status();
            return otp == null || otp.isEmpty() ? new Status(true, s.nonce(), 0, s.required(), false, "", pad) : s;
        }
    }

    public Status status() {
        synchronized (core) {
            int required = core.initialized() ? core.authorizingShares().secretThreshold() : 0;
            if (pending == null) {
                return new Status(false, "", 0, required, false, "", "");
            }
            return new Status(true, pending.nonce(), pending.collected().progress(), required, false, "", "");
        }
    }

    public void cancel() {
        synchronized (core) {
            if (pending != null) {
                pending.collected().reset();
                Arrays.fill(pending.otp(), (byte) 0);
                pending = null;
            }
        }
    }

    /**
     * Adds one unseal key (recovery key with an auto seal); at the threshold, checks the keys and mints the token.
     */
    public Status update(String key, String nonce) {
        synchronized (core) {
            requireUnsealed();
            if (pending == null) {
                throw new CofferException.BadRequest("no root token generation is in progress; start one with "
                        + "PUT sys/generate-root/attempt");
            }
            if (nonce == null || !nonce.equals(pending.nonce())) {
                throw new CofferException.BadRequest("nonce does not match the attempt in progress; read it from "
                        + "GET sys/generate-root/attempt");
            }
            UnsealKeysEntry entry = core.authorizingShares();
            byte[] share = KeyShares.decode(key);
            try {
                ShamirKeys.checkShare(entry, share, pending.collected().progress(), core.authorizingKind());
                pending.collected().add(share, random);
            } finally {
                Arrays.fill(share, (byte) 0);
            }
            if (pending.collected().progress() < entry.secretThreshold()) {
                return status();
            }
            return complete(entry);
        }
    }

    private Status complete(UnsealKeysEntry entry) {
        Pending done = pending;
        pending = null;
        try {
            // proves the keys are a valid threshold for this vault; no key is kept
            core.verifyAuthorizingShares(done.collected().shares());
            String token = core.tokens().createRoot(null);
            return new Status(true, done.nonce(), entry.secretThreshold(), entry.secretThreshold(), true,
                    encode(token, done.otp()), "");
        } finally {
            done.collected().reset();
            Arrays.fill(done.otp(), (byte) 0);
        }
    }

    /** base64(token XOR otp); both have {@link #OTP_LENGTH} bytes. */
    static String encode(String token, byte[] otp) {
        byte[] t = token.getBytes(StandardCharsets.UTF_8);
        byte[] x = new byte[t.length];
        for (int i = 0; i < t.length; i++) {
            x[i] = (byte) (t[i] ^ otp[i]);
        }
        Arrays.fill(t, (byte) 0);
        return Base64.getEncoder().encodeToString(x);
    }

    /** The inverse of the server's encoding: the token, from the encoded value and the OTP. */
    public static String decode(String encoded, String otp) {
        byte[] x;
        try {
            x = Base64.getDecoder().decode(encoded.strip());
        } catch (IllegalArgumentException e) {
            throw new CofferException.BadRequest("the encoded token is not valid base64; paste it exactly as printed");
        }
        byte[] pad = otp.getBytes(StandardCharsets.UTF_8);
        if (pad.length != x.length) {
            throw new CofferException.BadRequest("the OTP is " + pad.length + " characters but the encoded token is "
                    + x.length + " bytes; use the OTP printed by generate-root -init for this attempt");
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (byte) (x[i] ^ pad[i]);
        }
        return new String(x, StandardCharsets.UTF_8);
    }

    private String newOtp() {
        StringBuilder sb = new StringBuilder(OTP_LENGTH);
        for (int i = 0; i < OTP_LENGTH; i++) {
            sb.append(OTP_ALPHABET.charAt(random.nextInt(OTP_ALPHABET.length())));
        }
        return sb.toString();
    }

    private void requireUnsealed() {
        if (core.sealed()) {
            throw new CofferException.Sealed("Vault is sealed");
        }
    }
}
