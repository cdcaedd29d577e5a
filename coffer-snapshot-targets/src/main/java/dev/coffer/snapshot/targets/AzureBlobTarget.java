package dev.coffer.snapshot.targets;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.Configuration;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code target "azure-blob" {...}}: an Azure Blob Storage container, through the Azure SDK ({@code
 * azure-storage-blob}, Netty HTTP client). One block blob per snapshot, named {@code prefix + fileName}; a block
 * blob becomes visible only once complete (a single Put Blob, or Put Block List for files above 256 MiB).
 * Credentials: {@code account_key} (Shared Key), else azure-identity's {@code DefaultAzureCredential} (environment,
 * workload identity, managed identity, Azure CLI ...), which needs the role "Storage Blob Data Contributor";
 * {@code client_id} picks a user-assigned managed identity (else the system-assigned one, or {@code AZURE_CLIENT_ID}).
 *
 * <p>The SDK reads its settings ({@code AZURE_*} variables) from a {@link Configuration} and talks through an
 * {@link HttpClient}; both are injected (the {@link Factory} default: the process environment and the SDK's Netty
 * client), never set process-wide, so a test can point them at local fakes.
 */
public final class AzureBlobTarget implements SnapshotTarget {
    static final Set<String> ATTRIBUTES = Set.of("account_name", "container", "prefix", "endpoint", "account_key",
            "client_id");
    static final String ROLE = "Storage Blob Data Contributor";
    /** The audience of the tokens the SDK asks for (scope {@code https://storage.azure.com/.default}). */
    static final String TOKEN_RESOURCE = "https://storage.azure.com/";
    private static final Pattern AUTH_DETAIL = Pattern.compile("<AuthenticationErrorDetail>([^<]*)</AuthenticationErrorDetail>");
    /** Files up to this size go up in one Put Blob; larger ones in blocks of {@link #BLOCK_SIZE}. */
    static final long MAX_SINGLE_UPLOAD = 256L * 1024 * 1024;
    static final long BLOCK_SIZE = 32L * 1024 * 1024;

    private final String accountName;
    private final String container;
    private final String prefix;
    private final String endpoint;
    private final String accountKey;
    private final String clientId;
    private final Configuration sdkConfiguration;
    private final HttpClient http;
    private BlobContainerClient client;

    AzureBlobTarget(Map<String, String> config) {
        this(config, Configuration.getGlobalConfiguration(), null);
    }

    /** {@code http} null means the SDK's default (Netty) client. */
    AzureBlobTarget(Map<String, String> config, Configuration sdkConfiguration, HttpClient http) {
        this.sdkConfiguration = sdkConfiguration;
        this.http = http;
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
        clientId = c.optional("client_id");
        if (clientId != null && accountKey != null) {
            throw new IllegalArgumentException("snapshot target \"azure-blob\": set account_key or client_id, not both "
                    + "(client_id names the user-assigned managed identity used when there is no account_key)");
        }
    }

    private synchronized BlobContainerClient client() {
        if (client == null) {
            BlobServiceClientBuilder b = new BlobServiceClientBuilder()
                    .endpoint(endpoint)
                    .configuration(sdkConfiguration)
                    // 3 tries, 1 s then 2 s apart (the SDK's default waits up to 2 min per try)
                    .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 3, Duration.ofMinutes(10),
                            Duration.ofSeconds(1), Duration.ofSeconds(10), null));
            if (http != null) {
                b.httpClient(http);
            }
            if (accountKey != null) {
                b.credential(new StorageSharedKeyCredential(accountName, accountKey));
            } else {
                b.credential(tokenCredential());
            }
            client = b.buildClient().getBlobContainerClient(container);
        }
        return client;
    }

    /** The environment goes in first: {@code configuration(...)} set later would reset what the chain reads. */
    private TokenCredential tokenCredential() {
        DefaultAzureCredentialBuilder cb = new DefaultAzureCredentialBuilder().configuration(sdkConfiguration);
        if (http != null) {
            cb.httpClient(http);
        }
        if (clientId != null) {
            cb.managedIdentityClientId(clientId);
        }
        return cb.build();
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
                        : identity() + " needs the role \"" + ROLE + "\" on the storage account or container \""
                                + container + "\" (az role assignment create --role \"" + ROLE + "\" --assignee "
                                + "<the identity's principal or client id> --scope <the storage account's resource id>)");
            } else if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(code)) {
                why = "container \"" + container + "\" does not exist in storage account \"" + accountName
                        + "\" (" + status + "): create it (e.g. az storage container create --account-name " + accountName
                        + " --name " + container + "); Coffer does not create containers";
            } else if (b.getStatusCode() == 401) {
                String detail = authDetail(b);
                why = "not authenticated (" + status + (detail == null ? "" : ": " + detail) + ")" + (accountKey != null
                        ? ": check account_key"
                        : ": the storage service refused the token " + identity() + " obtained; it must be issued by "
                                + "the storage account's tenant for " + TOKEN_RESOURCE + " (check endpoint and "
                                + "account_name: an account in another cloud or tenant refuses it)");
            } else {
                why = status + ": " + firstLine(b.getServiceMessage());
            }
        } else if (e instanceof ClientAuthenticationException) {
            why = "no Azure credential: DefaultAzureCredential found no usable identity (" + firstLine(e.getMessage())
                    + "). Give the node a managed identity" + (clientId != null
                            ? " (client_id \"" + clientId + "\" must be a user-assigned managed identity attached to this "
                                    + "VM / app; remove client_id to use the system-assigned one)"
                            : " (system-assigned, or set client_id to a user-assigned one's client id)")
                    + " with the role \"" + ROLE + "\" on the storage account, or set AZURE_* variables, or set "
                    + "account_key";
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

    private String identity() {
        return clientId != null ? "the managed identity with client id \"" + clientId + "\""
                : "the identity found by DefaultAzureCredential (managed identity, AZURE_* environment, ...)";
    }

    /** Storage's 401 body says why a token was refused (e.g. "Audience validation failed"). */
    private static String authDetail(BlobStorageException e) {
        Matcher m = AUTH_DETAIL.matcher(String.valueOf(e.getMessage()));
        return m.find() ? firstLine(m.group(1)).strip() : null;
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
        private final Configuration sdkConfiguration;
        private final HttpClient http;

        /** The process environment and the SDK's default HTTP client (what ServiceLoader uses). */
        public Factory() {
            this(Configuration.getGlobalConfiguration(), null);
        }

        /** An injected SDK environment and HTTP client ({@code http} null: the SDK's default). */
        public Factory(Configuration sdkConfiguration, HttpClient http) {
            this.sdkConfiguration = sdkConfiguration;
            this.http = http;
        }

        @Override
        public String type() {
            return "azure-blob";
        }

        @Override
        public SnapshotTarget create(Map<String, String> config) {
            return new AzureBlobTarget(config, sdkConfiguration, http);
        }
    }
}
