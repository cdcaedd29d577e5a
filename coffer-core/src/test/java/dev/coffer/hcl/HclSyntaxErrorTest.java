package dev.coffer.hcl;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class HclSyntaxErrorTest {

    private static AbstractThrowableAssert<?, ? extends Throwable> parsing(String text) {
        return assertThatThrownBy(() -> HclParser.parse("vault.hcl", text)).isInstanceOf(ConfigException.class);
    }

    @Test
    void unterminatedString_pointsAtTheOpeningQuote() {
        parsing("storage \"file\" {\n  path = \"/data\n}\n")
                .hasMessageStartingWith("vault.hcl:2:10: unterminated string started here; close it with \"");
    }

    @Test
    void missingClosingBrace_namesWhereTheBlockOpened() {
        parsing("listener \"tcp\" {\n  address = \"x\"\n\nui = true\n")
                .hasMessageStartingWith("vault.hcl:5:1: unexpected end of file inside the block opened at line 1")
                .hasMessageContaining("add the missing }");
    }

    @Test
    void strayClosingBrace_isReported() {
        parsing("a = 1\n}\n").hasMessageStartingWith("vault.hcl:2:1: unexpected \"}\"");
    }

    @Test
    void bareWordValue_suggestsQuoting() {
        parsing("log_level = info").hasMessage("vault.hcl:1:13: bare word info is not a value; quote it: \"info\"");
    }

    @Test
    void missingValue_saysWhatIsExpected() {
        parsing("a =\n").hasMessageStartingWith("vault.hcl:2:1: unexpected end of file; expected a value");
    }

    @Test
    void keyWithoutEqualsOrBlock_isReported() {
        parsing("ui true").hasMessageStartingWith("vault.hcl:1:8: unexpected end of file after \"ui\"; expected =");
    }

    @Test
    void unitInUnquotedNumber_suggestsQuoting() {
        parsing("max_lease_ttl = 10h").hasMessageContaining("vault.hcl:1:17: invalid number 10h")
                .hasMessageContaining("\"10h\"");
    }

    @Test
    void listWithoutCommas_isReported() {
        parsing("l = [1 2]").hasMessageStartingWith("vault.hcl:1:8: unexpected number 2 in the list opened at line 1");
    }

    @Test
    void unterminatedList_isReported() {
        parsing("l = [1,\n").hasMessageContaining("add the missing ]");
    }

    @Test
    void unknownEscape_isReported() {
        parsing("a = \"c:\\dir\"").hasMessageStartingWith("vault.hcl:1:9: unknown escape \\d");
    }

    @Test
    void shortUnicodeEscape_isReported() {
        parsing("a = \"\\u12\"").hasMessageContaining("4 hex digits");
    }

    @Test
    void unterminatedBlockComment_isReported() {
        parsing("a = 1\n/* never closed").hasMessageStartingWith("vault.hcl:2:1: unterminated comment");
    }

    @Test
    void unterminatedHeredoc_namesTheMarker() {
        parsing("a = <<EOT\ntext\n").hasMessageStartingWith("vault.hcl:1:5: unterminated heredoc")
                .hasMessageContaining("only EOT");
    }

    @Test
    void strangeCharacter_isShownReadably() {
        parsing("a = 1\n\u0001").hasMessageStartingWith("vault.hcl:2:1: unexpected character U+0001");
    }

    @Test
    void absurdNesting_isRefusedBeforeTheStackOverflows() {
        parsing("a = " + "[".repeat(10_000)).hasMessageContaining("nesting deeper than 100 levels");
        parsing("a " + "{ b ".repeat(10_000)).hasMessageContaining("nesting deeper than 100 levels");
    }
}
