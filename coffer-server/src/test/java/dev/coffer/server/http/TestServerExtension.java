package dev.coffer.server.http;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension that gives each test a fresh {@link TestServer} and closes it after the test (after the test
 * class's own {@code @AfterEach} methods). Register it on an instance field with {@code @RegisterExtension}.
 */
final class TestServerExtension implements BeforeEachCallback, AfterEachCallback {
    private final Supplier<TestServer> start;
    private TestServer server;

    private TestServerExtension(Supplier<TestServer> start) {
        this.start = start;
    }

    /** An uninitialized server, as {@link TestServer#start(long)}. */
    static TestServerExtension uninitialized(long maxRequestBytes) {
        return new TestServerExtension(() -> TestServer.start(maxRequestBytes));
    }

    /** A dev-mode server whose calls carry the root token, as {@link TestServer#dev(long)}. */
    static TestServerExtension dev(long maxRequestBytes) {
        return new TestServerExtension(() -> TestServer.dev(maxRequestBytes));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server = start.get();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.close();
    }

    /** The server of the current test. */
    TestServer server() {
        return server;
    }
}
