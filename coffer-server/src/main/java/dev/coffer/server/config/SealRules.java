package dev.coffer.server.config;

import dev.coffer.hcl.ConfigException;
import java.util.List;

/**
 * Seal stanza counts Coffer supports: none (Shamir), one, or two during a migration where the old one is
 * marked {@code disabled = "true"}. Several active seals at once (Vault Enterprise "Seal HA") are not
 * supported.
 */
final class SealRules {
    private SealRules() {
    }

    static List<SealConfig> validate(List<SealConfig> seals) {
        if (seals.size() > 2) {
            throw ConfigException.at(seals.get(2).origin(), "at most two seal stanzas are allowed (the old one with"
                    + " disabled = \"true\" and the new one during a migration); found " + seals.size()
                    + ", remove the extra ones");
        }
        List<SealConfig> active = seals.stream().filter(s -> !s.disabled()).toList();
        if (active.size() > 1) {
            throw ConfigException.at(active.get(1).origin(), "two active seals (" + active.get(0).type() + " at "
                    + active.get(0).origin() + " and " + active.get(1).type() + " here); mark the seal you are"
                    + " migrating away from with disabled = \"true\"");
        }
        return seals;
    }
}
