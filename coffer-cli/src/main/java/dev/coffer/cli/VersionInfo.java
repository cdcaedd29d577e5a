package dev.coffer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The CLI's version: the jar manifest's Implementation-Version, else the build's resource, else "dev". */
final class VersionInfo implements IVersionProvider {
    static String version() {
        String fromManifest = Cli.class.getPackage().getImplementationVersion();
        if (fromManifest != null) {
            return fromManifest;
        }
        try (InputStream in = Cli.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String value = properties.getProperty("version", "");
                if (!value.isBlank() && !value.startsWith("${")) {
                    return value;
                }
            }
        } catch (IOException e) {
            return "dev";
        }
        return "dev";
    }

    static String line() {
        return "Coffer v" + version() + " (Java " + Runtime.version().feature() + ", "
                + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ")";
    }

    @Override
    public String[] getVersion() {
        return new String[] {line()};
    }
}
