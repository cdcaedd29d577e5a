package dev.coffer.hcl;

/**
 * A configuration file cannot be read, parsed or validated. The message always starts with the place
 * ({@code FILE:LINE:COL:} for syntax, {@code FILE:LINE:} for values) when one is known, then says what is
 * wrong and what to write instead. It is thrown before the server starts, so it is not one of the
 * request-scoped {@link dev.coffer.CofferException} kinds.
 */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    public static ConfigException at(Position position, String message) {
        return new ConfigException(position + ": " + message);
    }

    public static ConfigException at(Origin origin, String message) {
        return new ConfigException(origin + ": " + message);
    }
}
