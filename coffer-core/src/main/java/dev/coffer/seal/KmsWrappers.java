package dev.coffer.seal;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds the {@link KmsWrapperFactory} for a {@code seal "TYPE"} stanza through {@link ServiceLoader}. */
public final class KmsWrappers {
    private KmsWrappers() {
    }

    public static KmsWrapper create(String type, Map<String, String> params) throws SealException {
        TreeSet<String> known = new TreeSet<>();
        for (KmsWrapperFactory f : ServiceLoader.load(KmsWrapperFactory.class, KmsWrappers.class.getClassLoader())) {
            if (f.type().equals(type)) {
                return f.create(params);
            }
            known.add(f.type());
        }
        throw new SealException(SealException.Reason.CONFIG, "unknown seal type \"" + type + "\"; this build supports "
                + (known.isEmpty() ? "only the default shamir seal (no seal stanza)" : String.join(", ", known)));
    }
}
