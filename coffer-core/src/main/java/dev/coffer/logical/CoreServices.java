package dev.coffer.logical;

/**
 * Core facilities that some engines need beyond their own storage. Kept as a narrow interface so engines
 * never hold the whole core.
 */
public interface CoreServices {

    /** The token store (the token auth method and anything that issues tokens). */
    dev.coffer.token.TokenStore tokens();
}
