package dev.coffer.snapshot.targets;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.rest.PagedResponse;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobUploadFromFileOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.coffer.snapshot.auto.SnapshotTarget;
import dev.coffer.snapshot.auto.SnapshotTargetFactory;
import dev.coffer.snapshot.auto.TargetConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code target "azure-blob" {...}}: an Azure Blob Storage container, through the Azure SDK ({@code
 * azure-storage-blob}, Netty HTTP client). One block blob per snapshot, named {@code prefix + fileName}; a block
 * blob becomes visible only once complete (a single Put Blob, or Put Block List for files above 256 MiB).
 * Credentials: {@code account_key} (Shared Key), else azure-identity's {@code DefaultAzureCredential} (environment,
 * workload identity, managed identity, Azure CLI ...), which needs the role "Storage Blob Data Contributor".
 */
public final class AzureBlobTarget implements SnapshotTarget {
    static final Set<String> ATTRIBUTES = Set.of("account_name", "container", "prefix", "endpoint", "account_key");
    static final String ROLE = "Storage Blob Data Contributor";
    /** Files up to this size go up in one Put Blob; larger ones in blocks of {@link #BLOCK_SIZE}. */
    static final long MAX_SINGLE_UPLOAD = 256L * 1024 * 1024;
    static final long BLOCK_SIZE = 32L * 1024 * 1024;

    private final String accountName;
    private final String container;
    private final String prefix;
    private final String endpoint;
    private final String accountKey;
    private BlobContainerClient client;

    AzureBlobTarget(Map<String, String> config) {
        TargetConfig c = new TargetConfig("azure-blob", config, ATTRIBUTES);
        accountName = c.required("account_name");
        container = c.required("container");
        prefix = c.prefix("prefix");
        String ep = c.optional("endpoint");
        if (ep != null) {
            URI u;
            try {
                u = URI.create(ep);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("snapshot target \"azure-blob\": endpoint is not a URL: " + ep);
            }
            if (u.getScheme() == null || u.getHost() == null
                    || !(u.getScheme().equals("https") || u.getScheme().equals("http"))) {
                throw new IllegalArgumentException("snapshot target \"azure-blob\": endpoint must be an http(s) URL, got \""
                        + ep + "\"");
            }
            while (ep.endsWith("/")) {
                ep = ep.substring(0, ep.length() - 1);
            }
        }
        endpoint = ep != null ? ep : "https://" + accountName + ".blob.core.windows.net";
        accountKey = c.optional("account_key");
        if (accountKey != null) {
            try {
                Base64.getDecoder().decode(accountKey);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("snapshot target \"azure-blob\": account_key must be the base64 "
                        + "storage account key (as shown under Access keys)");
            }
        }
    }

    private synchronized BlobContainerClient client() {
        if (client == null) {
            BlobServiceClientBuilder b = new BlobServiceClientBuilder()
                    .endpoint(endpoint)
                    // 3 tries, 1 s then 2 s apart (the SDK's default waits up to 2 min per try)
                    .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 3, Duration.ofMinutes(10),
                            Duration.ofSeconds(1), Duration.ofSeconds(10), null));
            if (accountKey != null) {
                b.credential(new StorageSharedKeyCredential(accountName, accountKey));
            } else {
                TokenCredential cred = new DefaultAzureCredentialBuilder().build();
                b.credential(cred);
            }
            client = b.buildClient().getBlobContainerClient(container);
        }
        return client;
    }

    @Override
    public void upload(String fileName, Path file) throws IOException {
        BlobUploadFromFileOptions opts = new BlobUploadFromFileOptions(file.toString())
                .setHeaders(new BlobHttpHeaders().setContentType("application/gzip"))
                .setParallelTransferOptions(new ParallelTransferOptions()
                        .setMaxSingleUploadSizeLong(MAX_SINGLE_UPLOAD).setBlockSizeLong(BLOCK_SIZE).setMaxConcurrency(2));
        try {
            client().getBlobClient(prefix + fileName).uploadFromFileWithResponse(opts, null, null);
        } catch (RuntimeException e) {
            throw failure("upload to " + describe(), e);
        }
    }

    @Override
    public List<String> list(String namePrefix) throws IOException {
        List<String> names = new ArrayList<>();
        try {
            for (PagedResponse<BlobItem> page : client().listBlobs(new ListBlobsOptions().setPrefix(prefix + namePrefix),
                    null).iterableByPage()) {
                for (BlobItem item : page.getValue()) {
                    String name = item.getName().substring(prefix.length());
                    if (!name.contains("/") && !Boolean.TRUE.equals(item.isPrefix())) {
                        names.add(name);
                    }
                }
            }
        } catch (RuntimeException e) {
            throw failure("listing " + describe(), e);
        }
        return names;
    }

    @Override
    public void delete(String fileName) throws IOException {
        try {
            client().getBlobClient(prefix + fileName).delete();
        } catch (BlobStorageException e) {
            if (BlobErrorCode.BLOB_NOT_FOUND.equals(e.getErrorCode())) {
                return; // already gone: deleting is idempotent, as on S3
            }
            throw failure("deleting " + fileName + " from " + describe(), e);
        } catch (RuntimeException e) {
            throw failure("deleting " + fileName + " from " + describe(), e);
        }
    }

    /** An IOException whose message says what to do, without the SDK's full XML response body. */
    IOException failure(String what, RuntimeException e) {
        String why;
        if (e instanceof BlobStorageException b) {
            BlobErrorCode code = b.getErrorCode();
            String status = b.getStatusCode() + (code == null ? "" : " " + code);
            if (b.getStatusCode() == 403) {
                why = "access denied (" + status + "): " + (accountKey != null
                        ? "check account_key (the key of storage account \"" + accountName + "\"; it may have been rotated)"
                        : "the identity found by DefaultAzureCredential needs the role \"" + ROLE
                                + "\" on the storage account or container \"" + container + "\"");
            } else if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(code)) {
                why = "container \"" + container + "\" does not exist in storage account \"" + accountName
                        + "\" (" + status + "): create it (e.g. az storage container create --account-name " + accountName
                        + " --name " + container + "); Coffer does not create containers";
            } else if (b.getStatusCode() == 401) {
                why = "not authenticated (" + status + ")";
            } else {
                why = status + ": " + firstLine(b.getServiceMessage());
            }
        } else if (e instanceof ClientAuthenticationException) {
            why = "no Azure credential (set account_key, or give the node a managed identity / AZURE_* environment "
                    + "for DefaultAzureCredential): " + firstLine(e.getMessage());
        } else if (e instanceof UncheckedIOException u) {
            why = u.getCause().toString();
        } else {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            why = root == e ? firstLine(e.getMessage()) : firstLine(e.getMessage()) + " (" + root + ")";
        }
        return new IOException(what + " failed: " + why, e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public String describe() {
        return endpoint + "/" + container + "/" + prefix;
    }

    @Override
    public synchronized void close() {
        client = null; // the SDK's shared Netty client needs no closing
    }

    public static final class Factory implements SnapshotTargetFactory {
        @Override
        public String type() {
            return "azure-blob";
        }

        @Override
        public SnapshotTarget create(Map<String, String> config) {
            return new AzureBlobTarget(config);
        }
    }
}
