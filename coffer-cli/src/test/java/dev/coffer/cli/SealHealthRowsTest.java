package dev.coffer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SealHealthRowsTest {
    private static final ObjectMapper M = new ObjectMapper();

    @Test
    void unhealthySeal_showsTheErrorAndSince() throws Exception {
        var rows = SealHealthRows.rows(M.readTree("""
                {"healthy":false,"unhealthy_since":"2026-11-29T19:00:00Z","backends":[{"name":"azurekeyvault",
                 "healthy":false,"last_error":"UNREACHABLE: azurekeyvault seal: cannot reach Key Vault"}]}"""));
        assertThat(rows).containsExactly(Output.Row.of("Seal Healthy", false),
                Output.Row.of("Seal Error", "UNREACHABLE: azurekeyvault seal: cannot reach Key Vault"),
                Output.Row.of("Seal Unhealthy Since", "2026-11-29T19:00:00Z"));
    }

    @Test
    void healthySeal_oneRow_noHealthNoRows() throws Exception {
        assertThat(SealHealthRows.rows(M.readTree("{\"healthy\":true,\"backends\":[{\"name\":\"azurekeyvault\",\"healthy\":true}]}")))
                .containsExactly(Output.Row.of("Seal Healthy", true));
        assertThat(SealHealthRows.rows(null)).isEmpty();
    }
}
