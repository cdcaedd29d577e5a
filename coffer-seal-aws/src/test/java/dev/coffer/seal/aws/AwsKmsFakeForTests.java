package dev.coffer.seal.aws;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A public facade over the package-private AWS KMS fake (plain HTTP on a loopback port, SigV4 verified), for
 * tests in other modules, e.g. coffer-it, which points a real {@code coffer server} child process at it through
 * the seal's {@code endpoint} parameter.
 */
public final class AwsKmsFakeForTests implements AutoCloseable {
    private final FakeKms fake;

    private AwsKmsFakeForTests(FakeKms fake) {
        this.fake = fake;
    }

    /** Starts the fake with one key behind {@link #alias()}. */
    public static AwsKmsFakeForTests start() {
        try {
            return new AwsKmsFakeForTests(new FakeKms());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the AWS KMS fake", e);
        }
    }

    public String endpoint() {
        return fake.endpoint();
    }

    public String accessKeyId() {
        return FakeKms.ACCESS_KEY_ID;
    }

    public String secretKey() {
        return FakeKms.SECRET_KEY;
    }

    public String alias() {
        return FakeKms.ALIAS;
    }

    /** Denies an IAM action ({@code kms:Encrypt}, {@code kms:Decrypt}, {@code kms:DescribeKey}) with KMS's error. */
    public void deny(String action) {
        fake.denied.add(action);
    }

    public void allow(String action) {
        fake.denied.remove(action);
    }

    /** How many times the operation ({@code Encrypt}, {@code Decrypt}, {@code DescribeKey}) was called. */
    public int calls(String operation) {
        return fake.calls(operation);
    }

    @Override
    public void close() {
        fake.close();
    }
}
