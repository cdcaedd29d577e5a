package dev.coffer.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.hcl.ConfigException;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The listener's {@code x_forwarded_for_*} keys and the address blocks they name. */
class ForwardedForConfigTest {

    private static ListenerConfig listener(String lines) {
        return ConfigLoader.parse("vault.hcl", "storage \"inmem\" {}\nlistener \"tcp\" {\n tls_disable = true\n" + lines
                + "\n}\n").listeners().get(0);
    }

    private static boolean in(String range, String address) throws Exception {
        return AddressRange.parse(range).contains(InetAddress.getByName(address));
    }

    @Test
    void absentKeys_trustNoProxy() {
        assertThat(listener("").forwardedFor()).isEqualTo(ForwardedForConfig.NONE);
        assertThat(ForwardedForConfig.NONE.enabled()).isFalse();
    }

    @Test
    void vaultsForms_commaStringOrList_hopSkipsAndFlags() {
        ForwardedForConfig c = listener("x_forwarded_for_authorized_addrs = \"10.0.0.0/8, 192.0.2.7\"\n"
                + "x_forwarded_for_hop_skips = \"1\"\nx_forwarded_for_reject_not_authorized = true\n"
                + "x_forwarded_for_reject_not_present = \"true\"").forwardedFor();
        assertThat(c.authorizedAddrs()).containsExactly(AddressRange.parse("10.0.0.0/8"), AddressRange.parse("192.0.2.7/32"));
        assertThat(c.hopSkips()).isEqualTo(1);
        assertThat(c.rejectNotAuthorized()).isTrue();
        assertThat(c.rejectNotPresent()).isTrue();
        assertThat(listener("x_forwarded_for_authorized_addrs = [\"::1\", \"127.0.0.1/32\"]").forwardedFor()
                .authorizedAddrs()).hasSize(2);
    }

    @Test
    void aHostNameOrBadPrefix_isAConfigErrorNamingTheKey() {
        assertThatThrownBy(() -> listener("x_forwarded_for_authorized_addrs = \"lb.example.com\""))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listener.tcp.x_forwarded_for_authorized_addrs")
                .hasMessageContaining("CIDR");
        assertThatThrownBy(() -> listener("x_forwarded_for_authorized_addrs = \"cafe.be\"")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> listener("x_forwarded_for_authorized_addrs = \"10.0.0.256\"")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> listener("x_forwarded_for_authorized_addrs = \"10.0.0.0/33\""))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> listener("x_forwarded_for_hop_skips = -1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("x_forwarded_for_hop_skips");
    }

    @Test
    void addressRanges_matchByPrefixBits() throws Exception {
        assertThat(in("10.0.0.0/8", "10.255.1.2")).isTrue();
        assertThat(in("10.0.0.0/8", "11.0.0.1")).isFalse();
        assertThat(in("192.0.2.0/25", "192.0.2.127")).isTrue();
        assertThat(in("192.0.2.0/25", "192.0.2.128")).isFalse();
        assertThat(in("192.0.2.7", "192.0.2.7")).isTrue();
        assertThat(in("192.0.2.7", "192.0.2.8")).isFalse();
        assertThat(in("0.0.0.0/0", "203.0.113.1")).isTrue();
        assertThat(in("2001:db8::/32", "2001:db8:1::5")).isTrue();
        assertThat(in("2001:db8::/32", "2001:db9::5")).isFalse();
        assertThat(in("10.0.0.0/8", "2001:db8::1")).as("families never mix").isFalse();
        assertThat(AddressRange.parse("127.0.0.1/32").contains(InetAddress.getByAddress(
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1}))).as("IPv4-mapped").isTrue();
    }
}
