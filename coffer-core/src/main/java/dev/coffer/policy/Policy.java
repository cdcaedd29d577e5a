package dev.coffer.policy;

import java.util.List;

/**
 * A parsed ACL policy.
 *
 * @param name     lower-case name
 * @param text     the policy as written (returned by reads)
 * @param rules    path rules in file order
 * @param warnings things accepted but not enforced (e.g. parameter constraints)
 */
public record Policy(String name, String text, List<PathRule> rules, List<String> warnings) {
    public Policy {
        rules = List.copyOf(rules);
        warnings = List.copyOf(warnings);
    }
}
