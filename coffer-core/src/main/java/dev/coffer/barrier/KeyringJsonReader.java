package dev.coffer.barrier;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming reader for the keyring JSON: reads keys with {@link JsonParser#getBinaryValue()} so they are
 * decoded straight to byte arrays the keyring owns, never to Strings that cannot be zeroed.
 */
final class KeyringJsonReader {

    private KeyringJsonReader() {
    }

    static Keyring read(JsonParser p) throws IOException {
        expect(p.nextToken(), JsonToken.START_OBJECT);
        Integer version = null;
        long encryptions = 0;
        List<Keyring.Term> terms = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "version" -> version = p.getIntValue();
                case "active_encryptions" -> encryptions = p.getLongValue();
                case "terms" -> readTerms(p, terms);
                default -> p.skipChildren();
            }
        }
        if (version == null || version != 1) {
            throw new IOException("unsupported keyring format version " + version);
        }
        return Keyring.of(terms, encryptions);
    }

    private static void readTerms(JsonParser p, List<Keyring.Term> terms) throws IOException {
        expect(p.currentToken(), JsonToken.START_ARRAY);
        while (p.nextToken() == JsonToken.START_OBJECT) {
            int number = -1;
            byte[] key = null;
            Instant installTime = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "term" -> number = p.getIntValue();
                    case "key" -> key = p.getBinaryValue();
                    case "install_time" -> installTime = Instant.parse(p.getText());
                    default -> p.skipChildren();
                }
            }
            if (number < 1 || key == null || key.length != Keyring.KEY_LENGTH || installTime == null) {
                throw new IOException("keyring term entry is incomplete (term " + number + ")");
            }
            terms.add(new Keyring.Term(number, new TermKey(key), installTime));
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }
}
