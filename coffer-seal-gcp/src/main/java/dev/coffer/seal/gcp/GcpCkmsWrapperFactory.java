package dev.coffer.seal.gcp;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.GoogleCredentials;
import dev.coffer.seal.EnvironmentKmsWrapperFactory;
import dev.coffer.seal.SealException;
import dev.coffer.seal.SealException.Reason;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code gcpckms} seal from a seal stanza's parameters (see docs/seals/gcpckms.md). The environment
 * is injected: ServiceLoader uses the process environment; tests pass their own map. Tests reach their local
 * Cloud KMS fake through the {@code endpoint} parameter and a service-account JSON whose {@code token_uri}
 * names the fake's token endpoint, so there is no separate test seam.
 */
public final class GcpCkmsWrapperFactory extends EnvironmentKmsWrapperFactory<GcpCkmsWrapper> {

    /** OAuth2 scope of Cloud KMS. */
    static final String SCOPE = "https://www.googleapis.com/auth/cloudkms";
    private static final HttpTransportFactory TRANSPORT = NetHttpTransport::new;

    /** The ServiceLoader constructor: reads the process environment. */
    public GcpCkmsWrapperFactory() {
        this(System.getenv());
    }

    public GcpCkmsWrapperFactory(Map<String, String> env) {
        super(GcpCkmsWrapper.TYPE, env);
    }

    @Override
    protected GcpCkmsWrapper build(Map<String, String> stanza, Map<String, String> env) throws SealException {
        GcpSealConfig settings = GcpSealConfig.resolve(stanza, env);
        GoogleCredentials credentials = credentials(settings);
        return new GcpCkmsWrapper(settings, new KmsRest(settings, credentials), new SecureRandom());
    }

    static GoogleCredentials credentials(GcpSealConfig config) throws SealException {
        String value = config.credentials();
        try {
            GoogleCredentials loaded;
            if (value.isEmpty()) {
                loaded = GoogleCredentials.getApplicationDefault(TRANSPORT);
            } else if (config.inlineCredentials()) {
                loaded = GoogleCredentials.fromStream(
                        new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8)), TRANSPORT);
            } else {
                try (InputStream in = Files.newInputStream(Path.of(value))) {
                    loaded = GoogleCredentials.fromStream(in, TRANSPORT);
                }
            }
            return loaded.createScoped(List.of(SCOPE));
        } catch (NoSuchFileException | java.nio.file.AccessDeniedException e) {
            throw new SealException(Reason.CONFIG, "gcpckms seal: credentials (GOOGLE_CREDENTIALS /"
                    + " GOOGLE_APPLICATION_CREDENTIALS) names '" + value + "', which does not exist or is not readable"
                    + " by this process: fix the path or the file's permissions, or give the JSON itself", e);
        } catch (IOException | IllegalArgumentException e) {
            if (value.isEmpty()) {
                throw GcpErrors.credentials(e, config);
            }
            // the parser's message never echoes the private key; do not add the value either
            throw new SealException(Reason.CONFIG, "gcpckms seal: " + (config.inlineCredentials()
                    ? "the inline credentials JSON" : "credentials file '" + value + "'") + " is not a usable Google"
                    + " credentials JSON (" + e.getMessage() + "): download a service-account key"
                    + " ('gcloud iam service-accounts keys create') or use Application Default Credentials", e);
        }
    }
}
