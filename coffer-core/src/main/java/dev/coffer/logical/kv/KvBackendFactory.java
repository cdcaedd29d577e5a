package dev.coffer.logical.kv;

import dev.coffer.CofferException;
import dev.coffer.logical.BackendContext;
import dev.coffer.logical.BackendFactory;
import dev.coffer.logical.LogicalBackend;

/**
 * The {@code kv} secrets engine. Mount option {@code version} picks the flavour: "1" (the default, as in Vault)
 * stores one unversioned JSON object per key, "2" keeps versions with metadata. The sys API also accepts the
 * type {@code kv-v2}, Vault's alias for {@code kv} with version 2.
 */
public final class KvBackendFactory implements BackendFactory {
    public static final String TYPE = "kv";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Kind kind() {
        return Kind.SECRET;
    }

    @Override
    public LogicalBackend create(BackendContext context) {
        return switch (version(context.mount().options().get("version"))) {
            case 2 -> new KvV2Backend(context);
            default -> new KvV1Backend(context);
        };
    }

    /** The KV version an options.version value selects; BadRequest names the allowed values. */
    public static int version(String option) {
        if (option == null || option.isBlank() || option.strip().equals("1")) {
            return 1;
        }
        if (option.strip().equals("2")) {
            return 2;
        }
        throw new CofferException.BadRequest("options.version for a kv mount must be \"1\" or \"2\", got \""
                + (option.length() > 20 ? option.substring(0, 20) + "..." : option) + "\"");
    }
}
