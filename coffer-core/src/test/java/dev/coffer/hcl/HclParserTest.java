package dev.coffer.hcl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.hcl.ConfigNode.Bool;
import dev.coffer.hcl.ConfigNode.Entry;
import dev.coffer.hcl.ConfigNode.ListNode;
import dev.coffer.hcl.ConfigNode.Num;
import dev.coffer.hcl.ConfigNode.ObjectNode;
import dev.coffer.hcl.ConfigNode.Str;
import java.util.List;
import org.junit.jupiter.api.Test;

class HclParserTest {

    private static ObjectNode parse(String text) {
        return HclParser.parse("t.hcl", text);
    }

    private static ConfigNode value(ObjectNode node, String key) {
        return node.entries().stream().filter(e -> e.key().equals(key)).findFirst().orElseThrow().value();
    }

    @Test
    void attributesOfEveryScalarType_parse() {
        ObjectNode root = parse("s = \"x\"\ni = 8200\nn = -3\nf = 0.5\ne = 1e3\nt = true\nb = false\n");
        assertThat(value(root, "s")).isEqualTo(new Str("x", new Position("t.hcl", 1, 5)));
        assertThat(((Num) value(root, "i")).text()).isEqualTo("8200");
        assertThat(((Num) value(root, "i")).isInteger()).isTrue();
        assertThat(((Num) value(root, "n")).text()).isEqualTo("-3");
        assertThat(((Num) value(root, "f")).isInteger()).isFalse();
        assertThat(((Num) value(root, "e")).text()).isEqualTo("1e3");
        assertThat(((Bool) value(root, "t")).value()).isTrue();
        assertThat(((Bool) value(root, "b")).value()).isFalse();
    }

    @Test
    void stringEscapes_areDecoded() {
        ObjectNode root = parse("a = \"line\\nnext \\\"q\\\" back\\\\slash\\ttab \\u00e9\"");
        assertThat(((Str) value(root, "a")).value()).isEqualTo("line\nnext \"q\" back\\slash\ttab é");
    }

    @Test
    void severalAttributesOnOneLine_parseWithSpacesOrCommas() {
        ObjectNode root = parse("a = 1 b = \"two\", c = true\n");
        assertThat(root.entries()).extracting(Entry::key).containsExactly("a", "b", "c");
        assertThat(root.entries().get(1).position()).isEqualTo(new Position("t.hcl", 1, 7));
    }

    @Test
    void listsWithTrailingCommaAndNestedObjects_parse() {
        ObjectNode root = parse("l = [\"a\", 2,\n  true,]\nempty = []\no = { x = 1 y = [ { z = \"w\" } ] }");
        assertThat(((ListNode) value(root, "l")).items()).hasSize(3);
        assertThat(((ListNode) value(root, "empty")).items()).isEmpty();
        ObjectNode o = (ObjectNode) value(root, "o");
        ListNode y = (ListNode) value(o, "y");
        assertThat(((Str) value((ObjectNode) y.items().get(0), "z")).value()).isEqualTo("w");
    }

    @Test
    void blocksWithLabels_andRepeatedBlocks_keepOrderAndPositions() {
        ObjectNode root = parse("""
                listener "tcp" { address = "a:1" }
                listener "tcp" {
                  address = "b:2"
                }
                nested "one" "two" { }
                telemetry { x = 1 }
                """);
        assertThat(root.entries()).extracting(Entry::key).containsExactly("listener", "listener", "nested", "telemetry");
        assertThat(root.entries().get(1).labels()).containsExactly("tcp");
        assertThat(root.entries().get(1).position().line()).isEqualTo(2);
        assertThat(root.entries().get(2).labels()).containsExactly("one", "two");
        assertThat(root.entries().get(3).labels()).isEmpty();
    }

    @Test
    void comments_ofAllThreeStyles_areSkipped() {
        ObjectNode root = parse("""
                # hash
                a = 1 // slashes
                /* block
                   over lines */ b = 2
                c = "# not a comment" /* inline */ d = "// nor this"
                """);
        assertThat(root.entries()).extracting(Entry::key).containsExactly("a", "b", "c", "d");
        assertThat(((Str) value(root, "c")).value()).isEqualTo("# not a comment");
        assertThat(root.entries().get(1).position()).isEqualTo(new Position("t.hcl", 4, 18));
    }

    @Test
    void heredoc_keepsLinesVerbatim() {
        ObjectNode root = parse("policy = <<EOF\npath \"secret/*\" {\n  capabilities = [\"read\"]\n}\nEOF\nnext = 1\n");
        assertThat(((Str) value(root, "policy")).value())
                .isEqualTo("path \"secret/*\" {\n  capabilities = [\"read\"]\n}\n");
        assertThat(root.entries()).extracting(Entry::key).containsExactly("policy", "next");
    }

    @Test
    void indentedHeredoc_stripsCommonIndentation() {
        ObjectNode root = parse("x {\n  pem = <<-PEM\n    -----BEGIN-----\n      inner\n    -----END-----\n    PEM\n}\n");
        ObjectNode x = (ObjectNode) value(root, "x");
        assertThat(((Str) value(x, "pem")).value()).isEqualTo("-----BEGIN-----\n  inner\n-----END-----\n");
    }

    @Test
    void quotedKeys_andCrLfLineEnds_work() {
        ObjectNode root = parse("\"quoted key\" = 1\r\nb = 2\r\n");
        assertThat(root.entries()).extracting(Entry::key).containsExactly("quoted key", "b");
        assertThat(root.entries().get(1).position().line()).isEqualTo(2);
    }

    @Test
    void emptyFile_isAnEmptyBody() {
        assertThat(parse("  # only a comment\n").entries()).isEqualTo(List.of());
    }
}
