package dev.coffer.seal;

import java.util.Map;
import java.util.Objects;

/**
 * Base of the factories of seals whose parameters come from the seal stanza and, overriding it, the environment
 * ({@link SealParams}). The environment is injected: a subclass's public no-argument constructor (the one
 * ServiceLoader uses) passes {@code System.getenv()}, tests pass their own map.
 *
 * @param <W> the wrapper built, so that callers needing more than {@link KmsWrapper} get the concrete type
 */
public abstract class EnvironmentKmsWrapperFactory<W extends KmsWrapper> implements KmsWrapperFactory {

    private final String type;
    private final Map<String, String> env;

    protected EnvironmentKmsWrapperFactory(String type, Map<String, String> env) {
        this.type = Objects.requireNonNull(type, "type");
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final W create(Map<String, String> config) throws SealException {
        return build(config, env);
    }

    /** Builds the wrapper from the stanza and the environment; configuration errors are CONFIG SealExceptions. */
    protected abstract W build(Map<String, String> stanza, Map<String, String> env) throws SealException;
}
