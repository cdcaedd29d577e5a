package dev.coffer.logical;

/**
 * Core facilities that some engines need beyond their own storage. Kept as a narrow interface so engines
 * never hold the whole core.
 */
public interface CoreServices {

    /** The token store (the token auth method and anything that issues tokens). */
    dev.coffer.token.TokenStore tokens();

    /** Whether the token's policies grant sudo on {@code path} (e.g. to create orphan tokens). */
    default boolean hasSudo(dev.coffer.token.TokenEntry token, String path) {
        return token != null && token.isRoot();
    }
}
