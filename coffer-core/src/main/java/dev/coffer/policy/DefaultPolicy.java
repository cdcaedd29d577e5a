package dev.coffer.policy;

/** The {@code default} policy written on the first unseal: what every token may do with itself. */
final class DefaultPolicy {
    private DefaultPolicy() {
    }

    static final String TEXT = """
            # Look up, renew and revoke the calling token.
            path "auth/token/lookup-self" {
              capabilities = ["read"]
            }
            path "auth/token/renew-self" {
              capabilities = ["update"]
            }
            path "auth/token/revoke-self" {
              capabilities = ["update"]
            }

            # Ask which capabilities the calling token has on a path.
            path "sys/capabilities-self" {
              capabilities = ["update"]
            }
            """;
}
