package dev.coffer.server.config;

import dev.coffer.hcl.ConfigNode;
import dev.coffer.hcl.ConfigException;
import dev.coffer.hcl.Position;
import dev.coffer.hcl.HclParser;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.coffer.hcl.ConfigNode.Entry;
import dev.coffer.hcl.ConfigNode.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Vault's JSON configuration form into the same {@link ConfigNode} tree as {@link HclParser}, with
 * line and column taken from Jackson's token locations. JSON has no block labels: {@code "storage":
 * {"file": {...}}} expresses {@code storage "file" {...}} by nesting, and the typed layer accepts both.
 */
public final class JsonConfigParser {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(HclParser.MAX_DEPTH).build())
            .build();

    private final String file;
    private final JsonParser json;

    private JsonConfigParser(String file, JsonParser json) {
        this.file = file;
        this.json = json;
    }

    public static ObjectNode parse(String file, String text) {
        try (JsonParser json = FACTORY.createParser(text)) {
            JsonConfigParser parser = new JsonConfigParser(file, json);
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw ConfigException.at(parser.position(), "a JSON configuration must be one object { ... }");
            }
            ObjectNode root = parser.object();
            if (json.nextToken() != null) {
                throw ConfigException.at(parser.position(), "unexpected content after the closing }; a JSON"
                        + " configuration holds exactly one object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw syntaxError(file, e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read JSON: " + e.getMessage(), e);
        }
    }

    private ObjectNode object() throws IOException {
        Position open = position();
        List<Entry> entries = new ArrayList<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            Position keyAt = position();
            String key = json.currentName();
            json.nextToken();
            entries.add(new Entry(key, List.of(), value(), keyAt));
        }
        return new ObjectNode(entries, open);
    }

    private ConfigNode value() throws IOException {
        Position at = position();
        JsonToken token = json.currentToken();
        return switch (token) {
            case START_OBJECT -> object();
            case START_ARRAY -> array(at);
            case VALUE_STRING -> new ConfigNode.Str(json.getText(), at);
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new ConfigNode.Num(json.getText(), at);
            case VALUE_TRUE, VALUE_FALSE -> new ConfigNode.Bool(token == JsonToken.VALUE_TRUE, at);
            case VALUE_NULL -> throw ConfigException.at(at, "null is not a supported value; remove the key or"
                    + " give it a value");
            default -> throw ConfigException.at(at, "unexpected JSON token " + token + "; expected a value");
        };
    }

    private ConfigNode.ListNode array(Position open) throws IOException {
        List<ConfigNode> items = new ArrayList<>();
        while (json.nextToken() != JsonToken.END_ARRAY) {
            items.add(value());
        }
        return new ConfigNode.ListNode(items, open);
    }

    private Position position() {
        JsonLocation loc = json.currentTokenLocation();
        return new Position(file, Math.max(loc.getLineNr(), 1), Math.max(loc.getColumnNr(), 1));
    }

    private static ConfigException syntaxError(String file, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String where = loc == null ? file : new Position(file, loc.getLineNr(), loc.getColumnNr()).toString();
        return new ConfigException(where + ": invalid JSON: " + e.getOriginalMessage()
                + "; fix the syntax (JSON needs double quotes, commas between items, no trailing commas)", e);
    }
}
