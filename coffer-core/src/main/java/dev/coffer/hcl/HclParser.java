package dev.coffer.hcl;

import dev.coffer.hcl.ConfigNode.Entry;
import dev.coffer.hcl.ConfigNode.ObjectNode;
import dev.coffer.hcl.HclToken.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses HCL1 as written in Vault configuration files into a {@link ConfigNode} tree with positions.
 * Attributes may share a line ({@code a = 1 b = 2}) and may be separated by commas. Syntax errors raise
 * {@link ConfigException} with {@code FILE:LINE:COL: what is wrong; what is expected}.
 */
public final class HclParser {
    /** Deeper nesting than this is certainly not a configuration file; refusing it protects the stack. */
    public static final int MAX_DEPTH = 100;

    private final HclLexer lexer;
    private HclToken current;
    private int depth;

    private HclParser(String file, String text) {
        this.lexer = new HclLexer(file, text);
        this.current = lexer.next();
    }

    /** Parses a whole file; the result is the top-level body. */
    public static ObjectNode parse(String file, String text) {
        HclParser parser = new HclParser(file, text);
        return parser.body(new Position(file, 1, 1), true);
    }

    private ObjectNode body(Position open, boolean topLevel) {
        List<Entry> entries = new ArrayList<>();
        while (true) {
            Type type = current.type();
            if (type == Type.EOF && topLevel) {
                return new ObjectNode(entries, open);
            }
            if (type == Type.EOF) {
                throw error("unexpected end of file inside the block opened at line " + open.line() + " column "
                        + open.column() + "; add the missing }");
            }
            if (type == Type.RBRACE && !topLevel) {
                advance();
                return new ObjectNode(entries, open);
            }
            if (type == Type.COMMA) {
                advance();
                continue;
            }
            entries.add(entry());
        }
    }

    private Entry entry() {
        HclToken key = current;
        if (key.type() != Type.IDENT && key.type() != Type.STRING) {
            throw error("unexpected " + key.describe() + "; expected a setting (name = value) or a block"
                    + " (name \"label\" { ... })");
        }
        advance();
        if (current.type() == Type.EQUALS) {
            advance();
            return new Entry(key.text(), List.of(), value(), key.position());
        }
        List<String> labels = new ArrayList<>();
        while (current.type() == Type.STRING || current.type() == Type.IDENT) {
            labels.add(current.text());
            advance();
        }
        if (current.type() != Type.LBRACE) {
            throw error("unexpected " + current.describe() + " after \"" + key.text() + "\"; expected = and a value,"
                    + " or a block body in { }");
        }
        return new Entry(key.text(), labels, nested(), key.position());
    }

    private ConfigNode value() {
        HclToken t = current;
        switch (t.type()) {
            case STRING, HEREDOC -> {
                advance();
                return new ConfigNode.Str(t.text(), t.position());
            }
            case NUMBER -> {
                advance();
                return new ConfigNode.Num(t.text(), t.position());
            }
            case IDENT -> {
                return word(t);
            }
            case LBRACKET -> {
                return list();
            }
            case LBRACE -> {
                return nested();
            }
            default -> throw error("unexpected " + t.describe() + "; expected a value: \"string\", number,"
                    + " true/false, [list] or { object }");
        }
    }

    private ConfigNode word(HclToken t) {
        if (!t.text().equals("true") && !t.text().equals("false")) {
            throw error("bare word " + t.text() + " is not a value; quote it: \"" + t.text() + "\"");
        }
        advance();
        return new ConfigNode.Bool(t.text().equals("true"), t.position());
    }

    private ObjectNode nested() {
        Position open = current.position();
        enter();
        advance();
        ObjectNode node = body(open, false);
        depth--;
        return node;
    }

    private ConfigNode.ListNode list() {
        Position open = current.position();
        enter();
        advance();
        List<ConfigNode> items = new ArrayList<>();
        while (current.type() != Type.RBRACKET) {
            if (current.type() == Type.EOF) {
                throw error("unexpected end of file inside the list opened at line " + open.line() + " column "
                        + open.column() + "; add the missing ]");
            }
            items.add(value());
            if (current.type() == Type.COMMA) {
                advance();
            } else if (current.type() != Type.RBRACKET) {
                throw error("unexpected " + current.describe() + " in the list opened at line " + open.line()
                        + "; separate items with , and end the list with ]");
            }
        }
        advance();
        depth--;
        return new ConfigNode.ListNode(items, open);
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels; a configuration file never needs this,"
                    + " check for unbalanced { or [");
        }
    }

    private void advance() {
        current = lexer.next();
    }

    private ConfigException error(String message) {
        return ConfigException.at(current.position(), message);
    }
}
