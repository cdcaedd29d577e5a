package dev.coffer.hcl;

import dev.coffer.hcl.HclToken.Type;

/** Splits HCL1 text into tokens, skipping whitespace and the three comment styles. */
final class HclLexer {
    private final String file;
    private final String src;
    private int pos;
    private int line = 1;
    private int col = 1;

    HclLexer(String file, String src) {
        this.file = file;
        this.src = src;
    }

    HclToken next() {
        skipBlanksAndComments();
        Position start = here();
        if (pos >= src.length()) {
            return new HclToken(Type.EOF, "", start);
        }
        char c = src.charAt(pos);
        return switch (c) {
            case '{' -> single(Type.LBRACE, start);
            case '}' -> single(Type.RBRACE, start);
            case '[' -> single(Type.LBRACKET, start);
            case ']' -> single(Type.RBRACKET, start);
            case '=' -> single(Type.EQUALS, start);
            case ',' -> single(Type.COMMA, start);
            case '"' -> new HclToken(Type.STRING, new HclStringReader(this).read(start), start);
            case '<' -> heredoc(start);
            default -> wordOrNumber(c, start);
        };
    }

    private HclToken wordOrNumber(char c, Position start) {
        if (Character.isDigit(c) || (c == '-' && Character.isDigit(peek(1)))) {
            return number(start);
        }
        if (Character.isLetter(c) || c == '_') {
            int begin = pos;
            while (pos < src.length() && isWordChar(src.charAt(pos))) {
                advance();
            }
            return new HclToken(Type.IDENT, src.substring(begin, pos), start);
        }
        throw ConfigException.at(start, "unexpected character " + printable(c)
                + "; expected a key, a value, a comment or one of { } [ ] = ,");
    }

    private HclToken number(Position start) {
        int begin = pos;
        advance();
        while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || "+-.eE".indexOf(src.charAt(pos)) >= 0)) {
            advance();
        }
        while (pos < src.length() && isWordChar(src.charAt(pos))) {
            advance();
        }
        String text = src.substring(begin, pos);
        if (!text.matches("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?")) {
            throw ConfigException.at(start, "invalid number " + text + "; write a plain number such as 8200 or 0.5,"
                    + " or quote the value: \"" + text + "\"");
        }
        return new HclToken(Type.NUMBER, text, start);
    }

    private HclToken heredoc(Position start) {
        if (peek(1) != '<') {
            throw ConfigException.at(start, "unexpected character '<'; a heredoc starts with <<MARKER or <<-MARKER");
        }
        return new HclToken(Type.HEREDOC, new HclHeredocReader(this).read(start), start);
    }

    private HclToken single(Type type, Position start) {
        String text = String.valueOf(src.charAt(pos));
        advance();
        return new HclToken(type, text, start);
    }

    private void skipBlanksAndComments() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (Character.isWhitespace(c) || c == '\uFEFF') {
                advance();
            } else if (c == '#' || (c == '/' && peek(1) == '/')) {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    advance();
                }
            } else if (c == '/' && peek(1) == '*') {
                skipBlockComment();
            } else {
                return;
            }
        }
    }

    private void skipBlockComment() {
        Position start = here();
        int end = src.indexOf("*/", pos + 2);
        if (end < 0) {
            throw ConfigException.at(start, "unterminated comment started here; close it with */");
        }
        while (pos < end + 2) {
            advance();
        }
    }

    static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
    }

    static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    // --- cursor operations shared with the string and heredoc readers ---

    Position here() {
        return new Position(file, line, col);
    }

    boolean atEnd() {
        return pos >= src.length();
    }

    char current() {
        return src.charAt(pos);
    }

    char peek(int ahead) {
        int i = pos + ahead;
        return i < src.length() ? src.charAt(i) : '\0';
    }

    char advance() {
        char c = src.charAt(pos++);
        if (c == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        return c;
    }

    /** The rest of the current line (without the line break), consuming it and the break. */
    String takeLine() {
        int begin = pos;
        while (pos < src.length() && src.charAt(pos) != '\n') {
            advance();
        }
        String text = src.substring(begin, pos);
        if (pos < src.length()) {
            advance();
        }
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
