package dev.coffer.hcl;

/** Reads one double-quoted HCL string (the lexer is on the opening quote) and decodes its escapes. */
final class HclStringReader {
    private final HclLexer in;

    HclStringReader(HclLexer in) {
        this.in = in;
    }

    String read(Position start) {
        in.advance();
        StringBuilder out = new StringBuilder();
        while (true) {
            if (in.atEnd() || in.current() == '\n') {
                throw ConfigException.at(start, "unterminated string started here; close it with \" on the same line"
                        + " (use a heredoc <<EOF ... EOF for text over several lines)");
            }
            char c = in.advance();
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\') {
                out.append(escape());
            } else {
                out.append(c);
            }
        }
    }

    private String escape() {
        Position at = in.here();
        if (in.atEnd()) {
            throw ConfigException.at(at, "string ends inside an escape; close it with \"");
        }
        char c = in.advance();
        return switch (c) {
            case 'n' -> "\n";
            case 't' -> "\t";
            case 'r' -> "\r";
            case '"' -> "\"";
            case '\\' -> "\\";
            case 'u' -> unicode(at);
            default -> throw ConfigException.at(at, "unknown escape \\" + (c == '\n' ? "<newline>" : String.valueOf(c))
                    + "; use \\n, \\t, \\r, \\\", \\\\ or \\uXXXX");
        };
    }

    private String unicode(Position at) {
        StringBuilder hex = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            char h = in.atEnd() ? '\0' : in.current();
            if (Character.digit(h, 16) < 0) {
                throw ConfigException.at(at, "\\u must be followed by 4 hex digits, e.g. \\u00e9");
            }
            hex.append(in.advance());
        }
        return String.valueOf((char) Integer.parseInt(hex.toString(), 16));
    }
}
