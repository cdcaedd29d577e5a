package dev.coffer.seal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several auto seals at once ({@code enable_multiseal = true}): a secret is wrapped by every seal, and any one
 * seal that still works unwraps it, tried in priority order (1 first). Guarantee: {@link #decrypt} returns the
 * plaintext only if one configured seal's own copy decrypted and authenticated; a copy is never trusted because
 * another copy worked.
 *
 * <p>{@link #encrypt} succeeds when at least one seal wraps; seals that fail are left without a copy (logged,
 * and reported to the {@link Observer}) until {@link #refresh} gives them one, after the next unseal or a
 * {@code sys/sealwrap/rewrap}.
 */
public final class MultiSeal implements KmsWrapper {
    private static final Logger LOG = LoggerFactory.getLogger(MultiSeal.class);

    /** One configured seal: its unique name, unique priority (1 = tried first) and KMS. */
    public record Member(String name, int priority, KmsWrapper wrapper) {
        public Member {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(wrapper, "wrapper");
        }

        public String type() {
            return wrapper.type();
        }

        String label() {
            return "seal \"" + name + "\" (" + wrapper.type() + ")";
        }
    }

    /** Told about every call each seal answered or failed, so health is tracked per seal even while sealed. */
    public interface Observer {
        void succeeded(String name);

        void failed(String name, SealException error);
    }

    private final List<Member> members;
    private volatile Observer observer = new Observer() {
        @Override
        public void succeeded(String name) {
        }

        @Override
        public void failed(String name, SealException error) {
        }
    };

    public MultiSeal(List<Member> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a multiseal needs at least one seal");
        }
        List<Member> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparingInt(Member::priority));
        Set<String> names = new HashSet<>();
        Set<Integer> priorities = new HashSet<>();
        for (Member m : sorted) {
            if (!names.add(m.name()) || !priorities.add(m.priority())) {
                throw new IllegalArgumentException("seal names and priorities must be unique: " + m.label());
            }
        }
        this.members = List.copyOf(sorted);
    }

    public List<Member> members() {
        return members;
    }

    public void observe(Observer o) {
        observer = Objects.requireNonNull(o);
    }

    /** The highest-priority seal's type: what {@code status} shows as the seal type (see ADR 0009). */
    @Override
    public String type() {
        return members.get(0).type();
    }

    /** {@code name=keyId,...} in priority order; a copy whose entry differs is stale. */
    @Override
    public String keyId() {
        StringBuilder s = new StringBuilder();
        for (Member m : members) {
            s.append(s.isEmpty() ? "" : ",").append(m.name()).append('=').append(m.wrapper().keyId());
        }
        return s.toString();
    }

    @Override
    public BlobInfo encrypt(byte[] plaintext, byte[] aad) throws SealException {
        List<MultiSealBlob.Copy> copies = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        SealException first = null;
        for (Member m : members) {
            try {
                copies.add(wrap(m, plaintext, aad));
            } catch (SealException e) {
                first = first == null ? e : first;
                failures.add(m.label() + ": " + e.reason() + ": " + e.getMessage());
            }
        }
        if (copies.isEmpty()) {
            throw new SealException(first.reason(), "no seal could wrap: " + String.join("; ", failures), first);
        }
        if (!failures.isEmpty()) {
            LOG.warn("wrapped without {}; it gets its copy once it answers again (next unseal, or PUT "
                    + "sys/sealwrap/rewrap)", String.join("; ", failures));
        }
        return MultiSealBlob.of(copies);
    }

    /** Tries each seal that has a copy, in priority order; the first that unwraps wins. */
    @Override
    public byte[] decrypt(BlobInfo blob, byte[] aad) throws SealException {
        List<MultiSealBlob.Copy> copies = MultiSealBlob.copies(blob);
        List<String> failures = new ArrayList<>();
        SealException first = null;
        for (Member m : members) {
            Optional<MultiSealBlob.Copy> copy = copyFor(m, copies);
            if (copy.isEmpty()) {
                failures.add(m.label() + ": has no copy yet (added after the key was last wrapped)");
                continue;
            }
            try {
                byte[] plain = m.wrapper().decrypt(copy.get().blob(), aad);
                observer.succeeded(m.name());
                return plain;
            } catch (SealException e) {
                if (!copy.get().name().isEmpty()) { // an unnamed copy may be another seal's of the same type
                    observer.failed(m.name(), e);
                }
                first = first == null ? e : first;
                failures.add(m.label() + ": " + e.reason() + ": " + e.getMessage());
            }
        }
        String stored = String.join(", ", copies.stream().map(c -> c.name().isEmpty() ? c.type() : c.name()).toList());
        throw new SealException(first == null ? SealException.Reason.KEY_NOT_FOUND : first.reason(),
                "no configured seal could unwrap (stored copies: " + stored + "): " + String.join("; ", failures)
                        + "; bring one of them back, or add the seal stanza of a stored copy", first);
    }

    /** Whether some configured seal has a copy in this blob (or, for a single-seal blob, is of its type). */
    public boolean canRead(BlobInfo blob) throws SealException {
        List<MultiSealBlob.Copy> copies = MultiSealBlob.copies(blob);
        return members.stream().anyMatch(m -> copyFor(m, copies).isPresent());
    }

    /** Checks every seal; fails if any one fails, naming each that did. Per-seal health: {@link #check}. */
    @Override
    public void healthCheck() throws SealException {
        List<String> failures = new ArrayList<>();
        SealException first = null;
        for (Member m : members) {
            SealException e = check(m);
            if (e != null) {
                first = first == null ? e : first;
                failures.add(m.label() + ": " + e.reason() + ": " + e.getMessage());
            }
        }
        if (first != null) {
            throw new SealException(first.reason(), String.join("; ", failures), first);
        }
    }

    /** Checks one seal; null when healthy. */
    public SealException check(Member m) {
        try {
            m.wrapper().healthCheck();
            observer.succeeded(m.name());
            return null;
        } catch (SealException e) {
            observer.failed(m.name(), e);
            return e;
        }
    }

    /** True when some seal has no copy, a stale one (its key rotated) or a copy of a seal no longer configured. */
    public boolean needsRefresh(BlobInfo blob) throws SealException {
        if (!MultiSealBlob.isMulti(blob)) {
            return true;
        }
        List<MultiSealBlob.Copy> copies = MultiSealBlob.copies(blob);
        Set<String> names = new HashSet<>();
        for (Member m : members) {
            names.add(m.name());
            Optional<MultiSealBlob.Copy> c = namedCopy(m, copies);
            String current = m.wrapper().keyId();
            if (c.isEmpty() || (current != null && !current.isEmpty() && !current.equals(c.get().keyId()))) {
                return true;
            }
        }
        return copies.stream().anyMatch(c -> !names.contains(c.name()));
    }

    /**
     * A blob with a fresh copy for each seal whose copy is missing or stale, keeping the old copy of a seal that
     * cannot wrap now, and dropping copies of seals no longer configured. The caller has just unwrapped
     * {@code plaintext} through a configured seal, so dropping them cannot strand the secret.
     */
    public BlobInfo refresh(BlobInfo stored, byte[] plaintext, byte[] aad) throws SealException {
        List<MultiSealBlob.Copy> old = MultiSealBlob.copies(stored);
        List<MultiSealBlob.Copy> fresh = new ArrayList<>();
        for (Member m : members) {
            Optional<MultiSealBlob.Copy> c = namedCopy(m, old);
            String current = m.wrapper().keyId();
            boolean upToDate = c.isPresent() && (current == null || current.isEmpty() || current.equals(c.get().keyId()));
            if (upToDate) {
                fresh.add(new MultiSealBlob.Copy(m.name(), m.type(), c.get().keyId(), c.get().blob()));
                continue;
            }
            try {
                fresh.add(wrap(m, plaintext, aad));
                LOG.info("{} now holds a copy wrapped with key {}", m.label(), current);
            } catch (SealException e) {
                // keep what this seal could read before: its stale copy, or the single-seal copy of its type
                copyFor(m, old).ifPresent(keep -> fresh.add(new MultiSealBlob.Copy(keep.name().isEmpty() ? "" : m.name(),
                        m.type(), keep.keyId(), keep.blob())));
                LOG.warn("{} could not wrap a fresh copy ({}: {}); it gets one once it answers again", m.label(),
                        e.reason(), e.getMessage());
            }
        }
        for (MultiSealBlob.Copy c : old) {
            if (!c.name().isEmpty() && fresh.stream().noneMatch(f -> f.name().equals(c.name()))) {
                LOG.info("dropped the copy of seal \"{}\" ({}): it is no longer configured", c.name(), c.type());
            }
        }
        if (fresh.isEmpty()) {
            throw new SealException(SealException.Reason.OTHER, "no configured seal holds or could wrap a copy");
        }
        return MultiSealBlob.of(fresh);
    }

    private MultiSealBlob.Copy wrap(Member m, byte[] plaintext, byte[] aad) throws SealException {
        try {
            BlobInfo b = m.wrapper().encrypt(plaintext, aad);
            observer.succeeded(m.name());
            return new MultiSealBlob.Copy(m.name(), m.type(), b.keyId(), b);
        } catch (SealException e) {
            observer.failed(m.name(), e);
            throw e;
        }
    }

    /** The copy this seal wrote, by name. */
    private static Optional<MultiSealBlob.Copy> namedCopy(Member m, List<MultiSealBlob.Copy> copies) {
        return copies.stream().filter(c -> c.name().equals(m.name()) && c.type().equals(m.type())).findFirst();
    }

    /**
     * The copy a seal may read: its own, else an unnamed copy of its type (written before multiseal was enabled,
     * so a node that moves from one seal to several keeps reading what that seal wrote).
     */
    private static Optional<MultiSealBlob.Copy> copyFor(Member m, List<MultiSealBlob.Copy> copies) {
        Optional<MultiSealBlob.Copy> own = namedCopy(m, copies);
        return own.isPresent() ? own
                : copies.stream().filter(c -> c.name().isEmpty() && c.type().equals(m.type())).findFirst();
    }

    @Override
    public void close() {
        for (Member m : members) {
            try {
                m.wrapper().close();
            } catch (RuntimeException e) {
                LOG.debug("closing {}: {}", m.label(), e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "MultiSeal" + Arrays.toString(members.stream().map(Member::label).toArray());
    }
}
