package dev.coffer.token;

import dev.coffer.logical.BackendContext;
import dev.coffer.logical.BackendFactory;
import dev.coffer.logical.LogicalBackend;

/** The {@code token} auth method, mounted automatically at {@code auth/token/}. */
public final class TokenBackendFactory implements BackendFactory {
    @Override
    public String type() {
        return "token";
    }

    @Override
    public Kind kind() {
        return Kind.AUTH;
    }

    @Override
    public LogicalBackend create(BackendContext context) {
        return new TokenBackend(context);
    }
}
