package dev.coffer.seal;

import java.util.Map;

/** Builds a {@link KmsWrapper} from a {@code seal "TYPE" { ... }} stanza; found through ServiceLoader. */
public interface KmsWrapperFactory {

    String type();

    /** Builds the wrapper; configuration errors raise {@link SealException} with an actionable message. */
    KmsWrapper create(Map<String, String> config) throws SealException;
}
