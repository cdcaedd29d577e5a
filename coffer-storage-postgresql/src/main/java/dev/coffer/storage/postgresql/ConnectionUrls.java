package dev.coffer.storage.postgresql;

import dev.coffer.CofferException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Turns Vault's {@code connection_url} forms into a {@link JdbcTarget}: a libpq URL
 * ({@code postgres://user:pw@host:port/db?sslmode=...} or {@code postgresql://}), a libpq key/value string
 * ({@code host=... port=... user=... password=... dbname=...}) or a {@code jdbc:postgresql:} URL. Credentials
 * move into driver properties so the URL itself can be logged; several hosts select the primary.
 */
final class ConnectionUrls {

    /** libpq parameter names that pgjdbc spells differently. */
    private static final Map<String, String> RENAMED = Map.of(
            "dbname", "", "connect_timeout", "connectTimeout", "application_name", "ApplicationName",
            "target_session_attrs", "targetServerType", "keepalives", "tcpKeepAlive", "sslpassword", "sslpassword");

    private ConnectionUrls() {
    }

    static JdbcTarget parse(String connectionUrl) {
        if (connectionUrl == null || connectionUrl.isBlank()) {
            throw bad("parameter \"connection_url\" is required (or set VAULT_PG_CONNECTION_URL): e.g."
                    + " postgres://vault:PASSWORD@db:5432/vault?sslmode=require");
        }
        String text = connectionUrl.strip();
        if (text.startsWith("jdbc:postgresql:")) {
            return fromJdbc(text);
        }
        if (text.startsWith("postgres://") || text.startsWith("postgresql://")) {
            return fromUri(text);
        }
        if (text.contains("=")) {
            return fromKeyValues(text);
        }
        throw bad("parameter \"connection_url\" is neither a postgres:// or postgresql:// URL, nor a key/value"
                + " string (host=... dbname=...), nor a jdbc:postgresql: URL");
    }

    private static JdbcTarget fromUri(String text) {
        String rest = text.substring(text.indexOf("://") + 3);
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String database = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            database = decode(rest.substring(slash + 1));
            rest = rest.substring(0, slash);
        }
        Map<String, String> params = new LinkedHashMap<>();
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            params.put("user", decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo));
            if (colon >= 0) {
                params.put("password", decode(userInfo.substring(colon + 1)));
            }
        }
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                String name = decode(eq >= 0 ? pair.substring(0, eq) : pair);
                params.put(name, eq >= 0 ? decode(pair.substring(eq + 1)) : "");
            }
        }
        if (params.containsKey("dbname")) {
            database = params.remove("dbname");
        }
        List<String> hosts = rest.isEmpty() ? List.of("localhost") : List.of(rest.split(","));
        return build(hosts, params.remove("port"), database, params);
    }

    private static JdbcTarget fromKeyValues(String text) {
        Map<String, String> params = parseKeyValues(text);
        String database = params.remove("dbname");
        String hostList = params.remove("host");
        String hostaddr = params.remove("hostaddr");
        if (hostList == null) {
            hostList = hostaddr == null ? "localhost" : hostaddr;
        }
        return build(List.of(hostList.split(",")), params.remove("port"), database == null ? "" : database, params);
    }

    /** Hosts may carry their own port ({@code h1:5432}); {@code ports} is libpq's separate, comma-separated list. */
    private static JdbcTarget build(List<String> hosts, String ports, String database, Map<String, String> params) {
        String[] portList = ports == null || ports.isBlank() ? new String[0] : ports.split(",");
        List<String> hostPorts = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i).strip();
            if (host.isEmpty()) {
                throw bad("parameter \"connection_url\" has an empty host name in its host list");
            }
            boolean hasPort = host.startsWith("[") ? host.contains("]:") : host.contains(":") && host.indexOf(':') == host.lastIndexOf(':');
            if (!hasPort && host.contains(":") && !host.startsWith("[")) {
                host = "[" + host + "]";
            }
            if (!hasPort && portList.length > 0) {
                host = host + ":" + portList[Math.min(i, portList.length - 1)].strip();
            }
            hostPorts.add(host);
        }
        Properties properties = new Properties();
        for (Map.Entry<String, String> e : params.entrySet()) {
            String name = RENAMED.getOrDefault(e.getKey(), e.getKey());
            String value = e.getValue();
            if (name.equals("targetServerType")) {
                value = switch (value) {
                    case "read-write", "primary" -> "primary";
                    case "read-only", "standby" -> "secondary";
                    case "prefer-standby" -> "preferSecondary";
                    default -> "any";
                };
            }
            if (name.equals("tcpKeepAlive")) {
                value = String.valueOf(!value.equals("0"));
            }
            if (!name.isEmpty()) {
                properties.setProperty(name, value);
            }
        }
        if (hostPorts.size() > 1 && !properties.containsKey("targetServerType")) {
            // only the primary accepts writes, and the HA lock must live where the data is written
            properties.setProperty("targetServerType", "primary");
        }
        String url = "jdbc:postgresql://" + String.join(",", hostPorts) + "/" + encodePath(database);
        return new JdbcTarget(url, properties);
    }

    /** jdbc:postgresql: URLs are kept, but user and password move from the query into the properties. */
    private static JdbcTarget fromJdbc(String text) {
        int q = text.indexOf('?');
        if (q < 0) {
            return new JdbcTarget(text, new Properties());
        }
        Properties properties = new Properties();
        List<String> kept = new ArrayList<>();
        for (String pair : text.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String name = eq >= 0 ? pair.substring(0, eq) : pair;
            if (name.equals("user") || name.equals("password")) {
                properties.setProperty(name, decode(eq >= 0 ? pair.substring(eq + 1) : ""));
            } else if (!pair.isEmpty()) {
                kept.add(pair);
            }
        }
        String url = text.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        if (url.substring("jdbc:postgresql://".length()).split("/")[0].contains(",") && !url.contains("targetServerType")) {
            properties.setProperty("targetServerType", "primary");
        }
        return new JdbcTarget(url, properties);
    }

    /** libpq's {@code keyword = value} syntax: values may be single-quoted, with backslash escapes. */
    static Map<String, String> parseKeyValues(String text) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return params;
            }
            int nameStart = i;
            while (i < n && text.charAt(i) != '=' && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            String name = text.substring(nameStart, i);
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n || text.charAt(i) != '=' || name.isEmpty()) {
                throw bad("parameter \"connection_url\" is not a valid key/value string: expected keyword=value"
                        + " after \"" + (name.equals("password") ? "" : name) + "\"");
            }
            i++;
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '\'') {
                i++;
                while (i < n && text.charAt(i) != '\'') {
                    if (text.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    value.append(text.charAt(i++));
                }
                if (i >= n) {
                    throw bad("parameter \"connection_url\" has an unterminated quoted value for \"" + name + "\"");
                }
                i++;
            } else {
                while (i < n && !Character.isWhitespace(text.charAt(i))) {
                    if (text.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    value.append(text.charAt(i++));
                }
            }
            params.put(name, value.toString());
        }
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw bad("parameter \"connection_url\" has an invalid %-escape: encode special characters of the user"
                    + " name and password as %XX");
        }
    }

    private static String encodePath(String database) {
        return java.net.URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static CofferException.BadRequest bad(String message) {
        return new CofferException.BadRequest("storage \"postgresql\": " + message);
    }
}
