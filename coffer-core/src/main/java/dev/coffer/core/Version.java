package dev.coffer.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version and build date, filtered into {@code version.properties} by Maven at build time. */
public final class Version {
    public static final String VERSION;
    public static final String BUILD_DATE;

    static {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/dev/coffer/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // fall back to "dev" below: a missing resource only affects what status prints
        }
        VERSION = clean(p.getProperty("version"), "0.0.0-dev");
        BUILD_DATE = clean(p.getProperty("build.date"), "");
    }

    private Version() {
    }

    private static String clean(String value, String fallback) {
        return value == null || value.isBlank() || value.startsWith("${") ? fallback : value;
    }
}
