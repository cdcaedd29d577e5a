package dev.coffer.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;

/**
 * Typed access to JSON body fields with errors that name the field and the expected type. Numbers given as
 * strings ("5") are accepted, as Vault's API does.
 */
final class Params {
    private Params() {
    }

    static int intField(ObjectNode body, String name, int fallback) {
        JsonNode n = field(body, name);
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

    static long longField(ObjectNode body, String name, long fallback) {
        JsonNode n = field(body, name);
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

    static boolean boolField(ObjectNode body, String name, boolean fallback) {
        JsonNode n = field(body, name);
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

    static String stringField(ObjectNode body, String name) {
        JsonNode n = field(body, name);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw new CofferException.BadRequest("field \"" + name + "\" must be a string, got " + describe(n));
        }
        return n.textValue();
    }

    /** Rejects a field Coffer does not support instead of silently ignoring it. */
    static void unsupported(ObjectNode body, String name, String why) {
        JsonNode n = field(body, name);
        if (n != null && !(n.isArray() && n.isEmpty()) && !(n.isTextual() && n.textValue().isEmpty())
                && !(n.isBoolean() && !n.booleanValue())) {
            throw new CofferException.BadRequest("field \"" + name + "\" is not supported: " + why);
        }
    }

    static JsonNode field(ObjectNode body, String name) {
        JsonNode n = body.get(name);
        return n == null || n.isNull() ? null : n;
    }

    /** A boolean query flag: present with no value, "true" or "1" (Vault's {@code ?standbyok}). */
    static boolean boolQuery(ApiRequest req, String name) {
        String v = req.queryParam(name);
        return v != null && (v.isEmpty() || v.equalsIgnoreCase("true") || v.equals("1"));
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
