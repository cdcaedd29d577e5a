package dev.coffer.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.CofferException;

/**
 * Typed access to JSON body fields with errors that name the field and the expected type. Numbers given as
 * strings ("5") are accepted, as Vault's API does.
 */
final class Params {
    private Params() {
    }

    static int intField(ApiRequest req, String name, int fallback) {
        JsonNode n = req.field(name);
        if (n == null) {
            return fallback;
        }
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            return n.intValue();
        }
        if (n.isTextual()) {
            try {
                return Integer.parseInt(n.textValue().strip());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new CofferException.BadRequest("field \"" + name + "\" must be an integer, got " + describe(n));
    }

    static long longField(ApiRequest req, String name, long fallback) {
        JsonNode n = req.field(name);
        if (n == null) {
            return fallback;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        if (n.isTextual()) {
            try {
                return Long.parseLong(n.textValue().strip());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new CofferException.BadRequest("field \"" + name + "\" must be an integer, got " + describe(n));
    }

    static boolean boolField(ApiRequest req, String name, boolean fallback) {
        JsonNode n = req.field(name);
        if (n == null) {
            return fallback;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isTextual() && (n.textValue().equalsIgnoreCase("true") || n.textValue().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(n.textValue());
        }
        throw new CofferException.BadRequest("field \"" + name + "\" must be a boolean (true/false), got " + describe(n));
    }

    static String stringField(ApiRequest req, String name) {
        JsonNode n = req.field(name);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw new CofferException.BadRequest("field \"" + name + "\" must be a string, got " + describe(n));
        }
        return n.textValue();
    }

    /** Rejects a field Coffer does not support instead of silently ignoring it. */
    static void unsupported(ApiRequest req, String name, String why) {
        JsonNode n = req.field(name);
        if (n != null && !(n.isArray() && n.isEmpty()) && !(n.isTextual() && n.textValue().isEmpty())
                && !(n.isBoolean() && !n.booleanValue())) {
            throw new CofferException.BadRequest("field \"" + name + "\" is not supported: " + why);
        }
    }

    static int queryInt(ApiRequest req, String name, int fallback) {
        String v = req.queryParam(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new CofferException.BadRequest("query parameter \"" + name + "\" must be an integer status code, got \""
                    + truncate(v) + "\"");
        }
    }

    private static String describe(JsonNode n) {
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                + (n.isValueNode() ? " " + truncate(n.toString()) : "");
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
