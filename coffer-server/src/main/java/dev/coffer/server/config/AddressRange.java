package dev.coffer.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An IP address block in CIDR notation ({@code 10.0.0.0/8}, {@code ::1/128}); a bare address is a block of one. */
public record AddressRange(byte[] network, int prefixLength) {

    public AddressRange {
        network = network.clone();
    }

    /**
     * Parses {@code address[/bits]}. Only literal addresses: a host name here would make the listener's trust
     * depend on DNS.
     */
    public static AddressRange parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String host = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes = literal(host);
        if (bytes == null) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IP address or CIDR block such as 10.0.0.0/8");
        }
        int bits = bytes.length * 8;
        if (slash >= 0) {
            String suffix = s.substring(slash + 1);
            if (!suffix.matches("\\d{1,3}") || Integer.parseInt(suffix) > bits) {
                throw new IllegalArgumentException("\"" + text + "\": the prefix length must be 0-" + bits);
            }
            bits = Integer.parseInt(suffix);
        }
        return new AddressRange(bytes, bits);
    }

    /** The bytes of a literal IPv4 or IPv6 address, or null; never a DNS lookup (InetAddress would try one). */
    private static byte[] literal(String host) {
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            byte[] out = new byte[4];
            String[] parts = host.split("\\.");
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(parts[i]);
                if (octet > 255) {
                    return null;
                }
                out[i] = (byte) octet;
            }
            return out;
        }
        if (!host.contains(":") || !host.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            // with a colon the JDK parses an IPv6 literal or fails; it does not resolve
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether {@code address} lies in this block; an IPv4-mapped IPv6 address matches as its IPv4 form. */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length == 16 && network.length == 4 && isIpv4Mapped(candidate)) {
            candidate = Arrays.copyOfRange(candidate, 12, 16);
        }
        if (candidate.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (candidate[full] & mask) == (network[full] & mask);
    }

    private static boolean isIpv4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRange r && r.prefixLength == prefixLength && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }
}
