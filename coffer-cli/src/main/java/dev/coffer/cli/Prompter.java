package dev.coffer.cli;

/** Asks the user for a secret that must not appear on screen or in shell history. */
@FunctionalInterface
public interface Prompter {
    /** Shows {@code prompt} and returns the line typed, without its line break; null at end of input. */
    String readSecret(String prompt);
}
