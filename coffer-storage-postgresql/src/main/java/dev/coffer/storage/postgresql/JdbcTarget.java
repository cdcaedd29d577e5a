package dev.coffer.storage.postgresql;

import java.util.Properties;

/**
 * Where and how to connect: a JDBC URL that never contains credentials, plus driver properties (user,
 * password, ...). {@link #toString()} masks the password so the target can be logged.
 */
record JdbcTarget(String url, Properties properties) {

    static final String MASK = "*****";

    JdbcTarget {
        Properties copy = new Properties();
        copy.putAll(properties);
        properties = copy;
    }

    /** A copy of the driver properties (callers add their own, e.g. an application name). */
    @Override
    public Properties properties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    String password() {
        return properties.getProperty("password");
    }

    /** Replaces every occurrence of the password in {@code text}, for messages built from driver errors. */
    String scrub(String text) {
        String password = password();
        if (text == null || password == null || password.isEmpty()) {
            return text;
        }
        return text.replace(password, MASK);
    }

    @Override
    public String toString() {
        String user = properties.getProperty("user");
        return url + (user == null ? "" : " (user " + user + (password() == null ? "" : ", password " + MASK) + ")");
    }
}
