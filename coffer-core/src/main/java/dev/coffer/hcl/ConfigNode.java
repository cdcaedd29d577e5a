package dev.coffer.hcl;

import java.util.List;
import java.util.Objects;

/**
 * The parsed form of an HCL or JSON configuration file, before any meaning is given to keys. Every node
 * remembers where it was written so that later validation can point at the offending line.
 */
public sealed interface ConfigNode {

    Position position();

    /** A word for error messages: "a string", "a number", ... */
    String kind();

    /** A quoted string or heredoc. */
    record Str(String value, Position position) implements ConfigNode {
        public Str {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String kind() {
            return "a string";
        }
    }

    /** A number, kept as written so that {@code 8200} never becomes {@code 8200.0}. */
    record Num(String text, Position position) implements ConfigNode {
        public Num {
            Objects.requireNonNull(text, "text");
        }

        public boolean isInteger() {
            return text.matches("-?\\d+");
        }

        @Override
        public String kind() {
            return "a number";
        }
    }

    record Bool(boolean value, Position position) implements ConfigNode {
        @Override
        public String kind() {
            return "a boolean";
        }
    }

    record ListNode(List<ConfigNode> items, Position position) implements ConfigNode {
        public ListNode {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /**
     * An object body: the whole file, a block body or a {@code { }} value. Entries keep their order and
     * may repeat a key (two {@code listener "tcp"} blocks).
     */
    record ObjectNode(List<Entry> entries, Position position) implements ConfigNode {
        public ObjectNode {
            entries = List.copyOf(entries);
        }

        @Override
        public String kind() {
            return "an object";
        }
    }

    /**
     * {@code key = value} (no labels) or a block {@code key "label1" "label2" { ... }} whose value is the
     * body. In JSON, labels never appear: nesting expresses them instead.
     */
    record Entry(String key, List<String> labels, ConfigNode value, Position position) {
        public Entry {
            Objects.requireNonNull(key, "key");
            labels = List.copyOf(labels);
            Objects.requireNonNull(value, "value");
        }
    }
}
