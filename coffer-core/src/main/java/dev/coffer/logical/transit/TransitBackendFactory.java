package dev.coffer.logical.transit;

import dev.coffer.logical.BackendContext;
import dev.coffer.logical.BackendFactory;
import dev.coffer.logical.LogicalBackend;

/** Registers the transit secrets engine (type {@code transit}) with the mount manager. */
public final class TransitBackendFactory implements BackendFactory {
    @Override
    public String type() {
        return "transit";
    }

    @Override
    public Kind kind() {
        return Kind.SECRET;
    }

    @Override
    public LogicalBackend create(BackendContext context) {
        return new TransitBackend(context);
    }
}
