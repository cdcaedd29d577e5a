package dev.coffer.barrier;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.coffer.CofferException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The data-encryption keys of the barrier: an immutable list of terms, each a 32-byte AES key with its term
 * number and install time. The newest term encrypts every new write; older ones stay for decryption.
 *
 * <p>Rotation returns a new keyring that shares the existing terms' key objects, so a value being decrypted
 * with an older keyring instance during a rotation still works. The root key is not part of the keyring.
 */
public final class Keyring {

    static final int KEY_LENGTH = 32;
    private static final int FORMAT_VERSION = 1;
    private static final JsonFactory JSON = new JsonFactory();

    /** One term; the key bytes are owned by the keyring and zeroed by {@link Keyring#wipe()}. */
    record Term(int number, TermKey key, Instant installTime) {
    }

    private final List<Term> terms;
    private final AtomicLong activeEncryptions;

    private Keyring(List<Term> terms, long activeEncryptions) {
        this.terms = List.copyOf(terms);
        this.activeEncryptions = new AtomicLong(activeEncryptions);
    }

    /** The first keyring: term 1 with a copy of {@code key}. */
    public static Keyring create(byte[] key, Instant now) {
        return new Keyring(List.of(new Term(1, new TermKey(checkedCopy(key)), now)), 0);
    }

    /** A keyring with one more term (a copy of {@code key}), numbered one above the active term. */
    public Keyring withNewTerm(byte[] key, Instant now) {
        List<Term> next = new ArrayList<>(terms);
        next.add(new Term(activeTerm() + 1, new TermKey(checkedCopy(key)), now));
        return new Keyring(next, 0);
    }

    public int activeTerm() {
        return active().number();
    }

    public Instant activeInstallTime() {
        return active().installTime();
    }

    /** Encryptions by the active term since it was installed (as far as this keyring instance knows). */
    public long activeEncryptions() {
        return activeEncryptions.get();
    }

    /** Term numbers, oldest first. */
    public List<Integer> termNumbers() {
        return terms.stream().map(Term::number).toList();
    }

    /** Zeroes every key of every term. Idempotent. */
    public void wipe() {
        terms.forEach(t -> t.key().destroy());
    }

    TermKey activeKey() {
        return active().key();
    }

    /** Counts one encryption by the active term; returns the new count. */
    long countEncryption() {
        return activeEncryptions.incrementAndGet();
    }

    /** The key of {@code term}, or null when this keyring has no such term. */
    TermKey key(int term) {
        // Terms are numbered 1..n without gaps in practice; the scan keeps this correct if they ever are not.
        for (int i = terms.size() - 1; i >= 0; i--) {
            if (terms.get(i).number() == term) {
                return terms.get(i).key();
            }
        }
        return null;
    }

    List<Term> terms() {
        return terms;
    }

    /**
     * Combines a keyring just read from storage with this in-memory one: terms whose key is unchanged keep
     * this keyring's key object (so values being decrypted right now keep a live key) and the freshly read
     * duplicate is zeroed. The encryption count is the larger of both when the active term is the same.
     */
    Keyring adopt(Keyring loaded) {
        List<Term> merged = new ArrayList<>(loaded.terms.size());
        for (Term fresh : loaded.terms) {
            TermKey mine = key(fresh.number());
            if (mine != null && MessageDigest.isEqual(mine.secretBytesUnsafe(), fresh.key().secretBytesUnsafe())) {
                fresh.key().destroy();
                merged.add(new Term(fresh.number(), mine, fresh.installTime()));
            } else {
                merged.add(fresh);
            }
        }
        long count = loaded.activeTerm() == activeTerm()
                ? Math.max(loaded.activeEncryptions(), activeEncryptions()) : loaded.activeEncryptions();
        return new Keyring(merged, count);
    }

    /** Keys of this keyring that {@code successor} no longer uses; the caller zeroes them once unreachable. */
    List<TermKey> keysDroppedBy(Keyring successor) {
        List<TermKey> dropped = new ArrayList<>();
        for (Term t : terms) {
            if (successor.terms.stream().noneMatch(s -> s.key() == t.key())) {
                dropped.add(t.key());
            }
        }
        return Collections.unmodifiableList(dropped);
    }

    private Term active() {
        return terms.get(terms.size() - 1);
    }

    private static byte[] checkedCopy(byte[] key) {
        if (key == null || key.length != KEY_LENGTH) {
            throw new CofferException.BadRequest("keyring keys must be " + KEY_LENGTH + " bytes");
        }
        return key.clone();
    }

    /**
     * JSON for storage (the caller encrypts it and then zeroes the returned array): {@code {"version":1,
     * "active_encryptions":n,"terms":[{"term":1,"key":"base64","install_time":"ISO-8601"}]}}. Written with a
     * streaming generator so the keys never become immutable Strings.
     */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + terms.size() * 96);
        try (JsonGenerator gen = JSON.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeNumberField("version", FORMAT_VERSION);
            gen.writeNumberField("active_encryptions", activeEncryptions.get());
            gen.writeArrayFieldStart("terms");
            for (Term t : terms) {
                gen.writeStartObject();
                gen.writeNumberField("term", t.number());
                gen.writeBinaryField("key", t.key().secretBytesUnsafe());
                gen.writeStringField("install_time", t.installTime().toString());
                gen.writeEndObject();
            }
            gen.writeEndArray();
            gen.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** Parses {@link #toJson()} output; the caller zeroes {@code json} afterwards. */
    public static Keyring fromJson(byte[] json) {
        try (JsonParser p = JSON.createParser(json)) {
            return KeyringJsonReader.read(p);
        } catch (IOException | RuntimeException e) {
            throw new CofferException.Internal("the stored keyring is not valid keyring JSON: storage is corrupt", e);
        }
    }

    static Keyring of(List<Term> terms, long activeEncryptions) {
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("a keyring has at least one term");
        }
        List<Term> sorted = new ArrayList<>(terms);
        sorted.sort((a, b) -> Integer.compare(a.number(), b.number()));
        return new Keyring(sorted, activeEncryptions);
    }

    @Override
    public String toString() {
        return "Keyring[terms=" + termNumbers() + ", active=" + activeTerm() + "]";
    }

    /** Test hook: the live key arrays, to prove {@link #wipe()} zeroes them. */
    List<byte[]> keyBytesForTesting() {
        return terms.stream().map(t -> t.key().secretBytesUnsafe()).toList();
    }
}
