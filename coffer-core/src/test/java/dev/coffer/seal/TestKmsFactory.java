package dev.coffer.seal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code seal "test-kms" { key_name = "..." }} for tests of the server wiring: one {@link TestKms} per key
 * name per JVM, so a restarted server in the same test finds the same keys (like a real KMS would).
 */
public final class TestKmsFactory implements KmsWrapperFactory {
    private static final Map<String, TestKms> KEYS = new ConcurrentHashMap<>();

    /** The KMS behind a key name, to rotate it or switch it to failing from a test. */
    public static TestKms kms(String keyName) {
        return KEYS.computeIfAbsent(keyName, k -> new TestKms());
    }

    @Override
    public String type() {
        return "test-kms";
    }

    @Override
    public KmsWrapper create(Map<String, String> config) throws SealException {
        String name = config.get("key_name");
        if (name == null || name.isBlank()) {
            throw new SealException(SealException.Reason.CONFIG, "key_name is required");
        }
        return kms(name);
    }
}
