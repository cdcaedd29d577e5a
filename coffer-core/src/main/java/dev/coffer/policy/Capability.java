package dev.coffer.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The capabilities a policy grants on a path, as bits so rules merge with a bitwise or. */
public enum Capability {
    DENY, CREATE, READ, UPDATE, PATCH, DELETE, LIST, SUDO;

    public int bit() {
        return 1 << ordinal();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Capability> parse(String s) {
        for (Capability c : values()) {
            if (c.label().equals(s)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Names of the capabilities in {@code bits}, in Vault's order; {@code ["deny"]} when deny is set or none are. */
    public static List<String> labels(int bits) {
        if ((bits & DENY.bit()) != 0 || bits == 0) {
            return List.of("deny");
        }
        List<String> out = new ArrayList<>();
        for (Capability c : values()) {
            if ((bits & c.bit()) != 0) {
                out.add(c.label());
            }
        }
        return out;
    }

    public static final int ALL = CREATE.bit() | READ.bit() | UPDATE.bit() | PATCH.bit() | DELETE.bit() | LIST.bit()
            | SUDO.bit();
}
