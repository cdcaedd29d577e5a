package dev.coffer.hcl;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code <<MARKER} or {@code <<-MARKER} text (the lexer is on the first {@code <}). The value keeps
 * a line break after each line. With {@code <<-} the closing marker may be indented and the common
 * leading whitespace of the lines is removed.
 */
final class HclHeredocReader {
    private final HclLexer in;

    HclHeredocReader(HclLexer in) {
        this.in = in;
    }

    String read(Position start) {
        in.advance();
        in.advance();
        boolean indented = !in.atEnd() && in.current() == '-';
        if (indented) {
            in.advance();
        }
        String marker = in.takeLine().strip();
        if (marker.isEmpty() || !marker.chars().allMatch(ch -> HclLexer.isWordChar((char) ch))) {
            throw ConfigException.at(start, "a heredoc needs a marker word right after << and then a line break,"
                    + " e.g. <<EOF");
        }
        List<String> lines = new ArrayList<>();
        while (!in.atEnd()) {
            String line = in.takeLine();
            String candidate = indented ? line.strip() : line.stripTrailing();
            if (candidate.equals(marker)) {
                return join(indented ? unindent(lines) : lines);
            }
            lines.add(line);
        }
        throw ConfigException.at(start, "unterminated heredoc started here; end it with a line containing only "
                + marker);
    }

    private static List<String> unindent(List<String> lines) {
        int common = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                common = Math.min(common, line.length() - line.stripLeading().length());
            }
        }
        int cut = common == Integer.MAX_VALUE ? 0 : common;
        return lines.stream().map(l -> l.length() >= cut ? l.substring(cut) : l.stripLeading()).toList();
    }

    private static String join(List<String> lines) {
        StringBuilder out = new StringBuilder();
        lines.forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }
}
