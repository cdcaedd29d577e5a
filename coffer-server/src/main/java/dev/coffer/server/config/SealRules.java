package dev.coffer.server.config;

import dev.coffer.hcl.ConfigException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Seal stanza counts Coffer supports: none (Shamir), one, or two during a migration where the old one is
 * marked {@code disabled = "true"}. With {@code enable_multiseal = true}, up to {@value #MAX_MULTISEAL} active auto
 * seals (Vault Enterprise's "Seal HA" bound), each with a unique {@code name} and {@code priority}; Shamir
 * cannot be one of them (see docs/decisions/0009-several-seals-at-once.md).
 */
final class SealRules {
    static final int MAX_MULTISEAL = 3;

    private SealRules() {
    }

    static List<SealConfig> validate(List<SealConfig> seals, boolean multiseal) {
        List<SealConfig> active = seals.stream().filter(s -> !s.disabled()).toList();
        if (!multiseal) {
            if (seals.size() > 2) {
                throw ConfigException.at(seals.get(2).origin(), "at most two seal stanzas are allowed (the old one with"
                        + " disabled = \"true\" and the new one during a migration) unless enable_multiseal = true; found "
                        + seals.size() + ", remove the extra ones");
            }
            if (active.size() > 1) {
                throw ConfigException.at(active.get(1).origin(), "two active seals (" + active.get(0).type() + " at "
                        + active.get(0).origin() + " and " + active.get(1).type() + " here); to keep both, so that"
                        + " either one unseals, set enable_multiseal = true and give each a name and a priority;"
                        + " to migrate, mark the seal you are moving away from with disabled = \"true\"");
            }
            return seals;
        }
        uniqueNames(active);
        List<SealConfig> disabled = seals.stream().filter(SealConfig::disabled).toList();
        if (disabled.size() > 1) {
            throw ConfigException.at(disabled.get(1).origin(), "two seal stanzas with disabled = \"true\" (" + disabled.get(0)
                    .type() + " at " + disabled.get(0).origin() + " and " + disabled.get(1).type() + " here); only the one"
                    + " seal being migrated from may be disabled, remove the other");
        }
        if (active.size() > MAX_MULTISEAL) {
            throw ConfigException.at(active.get(MAX_MULTISEAL).origin(), "enable_multiseal allows at most "
                    + MAX_MULTISEAL + " active seals; found " + active.size() + ", remove or disable the extra ones");
        }
        Map<Integer, SealConfig> priorities = new HashMap<>();
        for (SealConfig s : active) {
            if (s.type().equals("shamir")) {
                throw ConfigException.at(s.origin(), "seal \"shamir\" cannot be combined with other seals under "
                        + "enable_multiseal (only auto seals can each unseal on their own); remove it, or remove "
                        + "enable_multiseal to use Shamir unseal keys");
            }
            if (active.size() > 1 && s.priority() == 0) {
                throw ConfigException.at(s.origin(), "seal \"" + s.type() + "\" (name \"" + s.name() + "\") needs a "
                        + "priority: with enable_multiseal and several seals each seal has a unique priority, 1 tried first");
            }
            SealConfig other = s.priority() == 0 ? null : priorities.put(s.priority(), s);
            if (other != null) {
                throw ConfigException.at(s.origin(), "seals \"" + other.name() + "\" (at " + other.origin() + ") and \""
                        + s.name() + "\" both have priority " + s.priority() + "; give each seal its own priority");
            }
        }
        return seals;
    }

    private static void uniqueNames(List<SealConfig> seals) {
        Map<String, SealConfig> names = new HashMap<>();
        for (SealConfig s : seals) {
            SealConfig other = names.put(s.name(), s);
            if (other != null) {
                throw ConfigException.at(s.origin(), "two seals are named \"" + s.name() + "\" (" + other.type() + " at "
                        + other.origin() + " and " + s.type() + " here); the name defaults to the seal type, so two "
                        + "seals of one type need a name = \"...\" each, unique");
            }
        }
    }
}
