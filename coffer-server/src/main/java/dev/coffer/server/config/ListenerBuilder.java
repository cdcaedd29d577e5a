package dev.coffer.server.config;

import dev.coffer.hcl.ConfigNode;
import dev.coffer.hcl.ConfigException;
import dev.coffer.hcl.ConfigNode.Entry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Validates one {@code listener} stanza into a {@link ListenerConfig}. */
final class ListenerBuilder {
    private static final Set<String> KEYS = Set.of("address", "cluster_address", "tls_disable", "tls_cert_file",
            "tls_key_file", "tls_min_version", "tls_client_ca_file", "max_request_size", "max_request_duration",
            "x_forwarded_for_authorized_addrs", "x_forwarded_for_hop_skips", "x_forwarded_for_reject_not_authorized",
            "x_forwarded_for_reject_not_present");
    private static final Set<String> TLS_VERSIONS = Set.of("tls10", "tls11", "tls12", "tls13");

    private final Stanza stanza;
    private final Map<String, Entry> settings = new LinkedHashMap<>();

    private ListenerBuilder(Stanza stanza) {
        this.stanza = stanza;
    }

    static ListenerConfig build(Stanza stanza, List<String> warnings) {
        if (!stanza.type().equals("tcp")) {
            throw ConfigException.at(stanza.position().origin(), "listener type \"" + stanza.type()
                    + "\" is not supported; use listener \"tcp\" { address = \"127.0.0.1:8200\" ... }");
        }
        ListenerBuilder b = new ListenerBuilder(stanza);
        for (Entry e : stanza.body().entries()) {
            if (KEYS.contains(e.key()) && e.labels().isEmpty()) {
                b.settings.put(e.key(), e);
            } else {
                warnings.add(e.position().origin() + ": unknown key \"" + stanza.path() + "." + e.key()
                        + "\" ignored; known listener keys: " + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        return b.build();
    }

    private ListenerConfig build() {
        boolean tlsDisable = settings.containsKey("tls_disable") && Values.bool(node("tls_disable"), key("tls_disable"));
        Path cert = path("tls_cert_file");
        Path privateKey = path("tls_key_file");
        if (!tlsDisable && (cert == null || privateKey == null)) {
            throw ConfigException.at(stanza.position().origin(), "listener \"" + stanza.type() + "\" has TLS enabled"
                    + " but " + (cert == null ? "tls_cert_file" : "tls_key_file") + " is not set; set tls_cert_file"
                    + " and tls_key_file, or set tls_disable = true (only behind a TLS-terminating proxy or for tests)");
        }
        return new ListenerConfig(stanza.type(), text("address", ListenerConfig.DEFAULT_ADDRESS),
                text("cluster_address", null), tlsDisable, tlsDisable ? null : cert, tlsDisable ? null : privateKey,
                tlsMinVersion(), path("tls_client_ca_file"), maxRequestSize(), maxRequestDuration(), forwardedFor());
    }

    private ForwardedForConfig forwardedFor() {
        List<AddressRange> authorized = new java.util.ArrayList<>();
        String name = "x_forwarded_for_authorized_addrs";
        if (settings.containsKey(name)) {
            for (String part : Values.parameter(node(name), key(name)).split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    authorized.add(AddressRange.parse(part));
                } catch (IllegalArgumentException e) {
                    throw Values.wrongType(node(name), key(name), "IP addresses or CIDR blocks (\"10.0.0.0/8, 192.0.2.7\")");
                }
            }
        }
        long skips = settings.containsKey("x_forwarded_for_hop_skips")
                ? Values.size(node("x_forwarded_for_hop_skips"), key("x_forwarded_for_hop_skips")) : 0;
        if (skips < 0 || skips > 100) {
            throw Values.wrongType(node("x_forwarded_for_hop_skips"), key("x_forwarded_for_hop_skips"),
                    "a number of hops between 0 and 100");
        }
        return new ForwardedForConfig(authorized, (int) skips, flag("x_forwarded_for_reject_not_authorized"),
                flag("x_forwarded_for_reject_not_present"));
    }

    private boolean flag(String name) {
        return settings.containsKey(name) && Values.bool(node(name), key(name));
    }

    private String tlsMinVersion() {
        String version = text("tls_min_version", ListenerConfig.DEFAULT_TLS_MIN_VERSION);
        if (!TLS_VERSIONS.contains(version)) {
            throw Values.wrongType(node("tls_min_version"), key("tls_min_version"), "one of tls10, tls11, tls12, tls13");
        }
        return version;
    }

    private long maxRequestSize() {
        if (!settings.containsKey("max_request_size")) {
            return ListenerConfig.DEFAULT_MAX_REQUEST_SIZE;
        }
        long size = Values.size(node("max_request_size"), key("max_request_size"));
        if (size == 0) {
            return ListenerConfig.DEFAULT_MAX_REQUEST_SIZE;
        }
        return size < 0 ? ListenerConfig.NO_SIZE_LIMIT : size;
    }

    private Duration maxRequestDuration() {
        if (!settings.containsKey("max_request_duration")) {
            return ListenerConfig.DEFAULT_MAX_REQUEST_DURATION;
        }
        Duration d = Values.duration(node("max_request_duration"), key("max_request_duration"));
        if (d.isNegative()) {
            throw Values.wrongType(node("max_request_duration"), key("max_request_duration"), "a positive duration");
        }
        return d.isZero() ? ListenerConfig.DEFAULT_MAX_REQUEST_DURATION : d;
    }

    private Path path(String name) {
        String value = text(name, null);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Path.of(value);
        } catch (RuntimeException e) {
            throw Values.wrongType(node(name), key(name), "a file path");
        }
    }

    private String text(String name, String fallback) {
        return settings.containsKey(name) ? Values.string(node(name), key(name)) : fallback;
    }

    private ConfigNode node(String name) {
        return settings.get(name).value();
    }

    private String key(String name) {
        return stanza.path() + "." + name;
    }
}
