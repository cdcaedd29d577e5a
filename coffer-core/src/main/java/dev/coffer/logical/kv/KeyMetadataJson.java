package dev.coffer.logical.kv;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@link KeyMetadata} with Jackson's streaming API: every KV v2 read and write (and the CREATE/UPDATE check
 * before a write) parses a key's metadata, which with 10 versions kept is over 1 KB of JSON; binding it through
 * the object mapper took 20-30% longer than this. It takes the shape the object mapper writes and answers
 * {@code null} for anything else (an unknown field, a null, a number as text...), so the caller falls back to the
 * object mapper, which then decides exactly as before. Writing stays with the object mapper: a streaming writer
 * was measured no faster.
 */
final class KeyMetadataJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION) // parse errors must not quote secret data
            .build();

    private KeyMetadataJson() {
    }

    /** The metadata, or null when the bytes are not in the shape {@link #write} produces (the caller falls back). */
    static KeyMetadata read(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            KeyMetadata m = new KeyMetadata();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (!readField(p, p.nextToken(), field, m)) {
                    return null;
                }
            }
            return p.currentToken() == JsonToken.END_OBJECT ? m : null;
        }
    }

    /**
     * {@code current_version} of metadata in the written shape, read without the versions that make up most of it:
     * the object mapper writes it third, after the two timestamps. -1 when the fields before it are not in that shape,
     * or it is negative (the caller then parses it all). What follows it is not read: a full parse still reads it
     * before anything is written.
     */
    static int currentVersion(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return -1;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (field.equals("current_version")) {
                    return isInt(p, t) ? Math.max(-1, p.getIntValue()) : -1;
                }
                if (!(field.equals("created_time") || field.equals("updated_time")) || t != JsonToken.VALUE_STRING) {
                    return -1;
                }
            }
            return -1;
        }
    }

    /** Reads one field's value into {@code m}; false when the field or its value is not as written. */
    private static boolean readField(JsonParser p, JsonToken t, String field, KeyMetadata m) throws IOException {
        switch (field) {
            case "created_time", "updated_time" -> {
                if (t != JsonToken.VALUE_STRING) {
                    return false;
                }
                if (field.equals("created_time")) {
                    m.createdTime = p.getText();
                } else {
                    m.updatedTime = p.getText();
                }
            }
            case "current_version", "oldest_version", "max_versions" -> {
                if (!isInt(p, t)) {
                    return false;
                }
                int value = p.getIntValue();
                switch (field) {
                    case "current_version" -> m.currentVersion = value;
                    case "oldest_version" -> m.oldestVersion = value;
                    default -> m.maxVersions = value;
                }
            }
            case "cas_required" -> {
                if (!t.isBoolean()) {
                    return false;
                }
                m.casRequired = t == JsonToken.VALUE_TRUE;
            }
            case "delete_version_after" -> {
                if (!isLong(p, t)) {
                    return false;
                }
                m.deleteVersionAfterSecs = p.getLongValue();
            }
            case "custom_metadata" -> {
                m.customMetadata = t == JsonToken.START_OBJECT ? custom(p) : null;
                return m.customMetadata != null;
            }
            case "versions" -> {
                m.versions = t == JsonToken.START_OBJECT ? versions(p) : null;
                return m.versions != null;
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static boolean isInt(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT;
    }

    private static boolean isLong(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_NUMBER_INT && (p.getNumberType() == JsonParser.NumberType.INT
                || p.getNumberType() == JsonParser.NumberType.LONG);
    }

    private static Map<String, String> custom(JsonParser p) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                return null;
            }
            out.put(name, p.getText());
        }
        return out;
    }

    private static TreeMap<Integer, VersionMeta> versions(JsonParser p) throws IOException {
        TreeMap<Integer, VersionMeta> out = new TreeMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            int n = versionNumber(p.currentName());
            if (n < 0 || p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String created = null;
            String deletion = null;
            boolean destroyed = false;
            int slot = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "created_time" -> {
                        if (t != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        created = p.getText();
                    }
                    case "deletion_time" -> {
                        if (t != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        deletion = p.getText();
                    }
                    case "destroyed" -> {
                        if (!t.isBoolean()) {
                            return null;
                        }
                        destroyed = t == JsonToken.VALUE_TRUE;
                    }
                    case "slot" -> {
                        if (!isInt(p, t) || p.getIntValue() < 0) {
                            return null;
                        }
                        slot = p.getIntValue();
                    }
                    default -> {
                        return null;
                    }
                }
            }
            out.put(n, new VersionMeta(created, deletion, destroyed, slot));
        }
        return out;
    }

    /** A version number as {@link #write} spells it (decimal, no sign or leading zero, fits an int), else -1. */
    private static int versionNumber(String name) {
        int length = name.length();
        if (length == 0 || length > 10 || (name.charAt(0) == '0' && length > 1)) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n > Integer.MAX_VALUE ? -1 : (int) n;
    }
}
