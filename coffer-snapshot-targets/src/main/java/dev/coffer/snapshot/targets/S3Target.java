package dev.coffer.snapshot.targets;

import dev.coffer.snapshot.auto.SnapshotTarget;
import dev.coffer.snapshot.auto.SnapshotTargetFactory;
import dev.coffer.snapshot.auto.TargetConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * {@code target "s3" {...}}: AWS S3 or an S3-compatible store, through the AWS SDK for Java v2 with the JDK's
 * HTTP client. One {@code PutObject} per snapshot (an object is visible only once complete; S3 limits a single
 * PUT to 5 GB). Credentials: {@code access_key}/{@code secret_key} (+ optional {@code session_token}), else the
 * SDK's default chain (environment, profile, web identity, ECS/EC2 instance role).
 */
public final class S3Target implements SnapshotTarget {
    static final Set<String> ATTRIBUTES = Set.of("bucket", "prefix", "region", "endpoint", "force_path_style",
            "access_key", "secret_key", "session_token", "server_side_encryption", "kms_key_id");

    private final String bucket;
    private final String prefix;
    private final String region;
    private final String endpoint;
    private final boolean forcePathStyle;
    private final AwsCredentialsProvider credentials;
    private final ServerSideEncryption sse;
    private final String kmsKeyId;
    private S3Client client;

    S3Target(Map<String, String> config) {
        TargetConfig c = new TargetConfig("s3", config, ATTRIBUTES);
        bucket = c.required("bucket");
        prefix = c.prefix("prefix");
        region = c.optional("region");
        endpoint = c.optional("endpoint");
        if (endpoint != null) {
            URI.create(endpoint); // fails early on a malformed URL
        }
        forcePathStyle = c.flag("force_path_style");
        String accessKey = c.optional("access_key");
        String secretKey = c.optional("secret_key");
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("snapshot target \"s3\": access_key and secret_key go together "
                    + "(or leave both out to use the default credentials chain)");
        }
        String sessionToken = c.optional("session_token");
        credentials = accessKey == null ? null : StaticCredentialsProvider.create(sessionToken == null
                ? AwsBasicCredentials.create(accessKey, secretKey)
                : AwsSessionCredentials.create(accessKey, secretKey, sessionToken));
        String sseName = c.optional("server_side_encryption");
        if (sseName == null) {
            sse = null;
        } else {
            sse = ServerSideEncryption.fromValue(sseName);
            if (sse != ServerSideEncryption.AES256 && sse != ServerSideEncryption.AWS_KMS) {
                throw new IllegalArgumentException("snapshot target \"s3\": server_side_encryption must be AES256 or "
                        + "aws:kms, got \"" + sseName + "\"");
            }
        }
        kmsKeyId = c.optional("kms_key_id");
        if (kmsKeyId != null && sse != ServerSideEncryption.AWS_KMS) {
            throw new IllegalArgumentException("snapshot target \"s3\": kms_key_id needs server_side_encryption = \"aws:kms\"");
        }
    }

    private synchronized S3Client client() {
        if (client == null) {
            S3ClientBuilder b = S3Client.builder()
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .forcePathStyle(forcePathStyle)
                    .credentialsProvider(credentials != null ? credentials : DefaultCredentialsProvider.builder().build());
            if (region != null) {
                b.region(Region.of(region));
            } else if (endpoint != null) {
                b.region(Region.US_EAST_1); // S3-compatible stores mostly ignore it, but the signer needs one
            }
            if (endpoint != null) {
                b.endpointOverride(URI.create(endpoint));
                // S3-compatible stores often lack the newer flexible checksums: send them only where required
                b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
                b.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            }
            client = b.build();
        }
        return client;
    }

    @Override
    public void upload(String fileName, Path file) throws IOException {
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(bucket).key(prefix + fileName)
                .contentType("application/gzip");
        if (sse != null) {
            req.serverSideEncryption(sse);
            if (kmsKeyId != null) {
                req.ssekmsKeyId(kmsKeyId);
            }
        }
        try {
            client().putObject(req.build(), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw new IOException("upload to " + describe() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String namePrefix) throws IOException {
        List<String> names = new ArrayList<>();
        try {
            for (S3Object o : client().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + namePrefix)).contents()) {
                String name = o.key().substring(prefix.length());
                if (!name.contains("/")) {
                    names.add(name);
                }
            }
        } catch (SdkException e) {
            throw new IOException("listing " + describe() + " failed: " + e.getMessage(), e);
        }
        return names;
    }

    @Override
    public void delete(String fileName) throws IOException {
        try {
            client().deleteObject(r -> r.bucket(bucket).key(prefix + fileName));
        } catch (SdkException e) {
            throw new IOException("deleting " + fileName + " from " + describe() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix + (endpoint == null ? "" : " at " + endpoint);
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    public static final class Factory implements SnapshotTargetFactory {
        @Override
        public String type() {
            return "s3";
        }

        @Override
        public SnapshotTarget create(Map<String, String> config) {
            return new S3Target(config);
        }
    }
}
