package dev.coffer.hcl;

/** One lexical unit of an HCL file; {@code text} is the decoded value for strings and heredocs. */
record HclToken(Type type, String text, Position position) {

    enum Type { IDENT, STRING, HEREDOC, NUMBER, LBRACE, RBRACE, LBRACKET, RBRACKET, EQUALS, COMMA, EOF }

    /** How the token is shown in "found ..." parts of error messages. */
    String describe() {
        return switch (type) {
            case EOF -> "end of file";
            case STRING -> "string \"" + shorten(text) + "\"";
            case HEREDOC -> "heredoc";
            case NUMBER -> "number " + text;
            case IDENT -> "word " + text;
            default -> "\"" + text + "\"";
        };
    }

    private static String shorten(String s) {
        return s.length() <= 30 ? s : s.substring(0, 27) + "...";
    }
}
