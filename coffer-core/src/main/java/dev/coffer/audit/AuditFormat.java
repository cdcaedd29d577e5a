package dev.coffer.audit;

import dev.coffer.CofferException;
import java.util.Map;

/**
 * The rendering options every device type shares.
 *
 * @param logRaw       write secret values and tokens in clear ({@code log_raw}); only for debugging
 * @param hmacAccessor hash token accessors too ({@code hmac_accessor}); accessors cannot be used to act as
 *                     the token, so operators often want them readable
 * @param prefix       written before each JSON line ({@code prefix}), e.g. for syslog routing
 */
public record AuditFormat(boolean logRaw, boolean hmacAccessor, String prefix) {

    public static AuditFormat from(Map<String, String> options) {
        String format = options.getOrDefault("format", "json");
        if (!format.equals("json")) {
            throw new CofferException.BadRequest("unsupported audit format \"" + format + "\"; use format=json");
        }
        return new AuditFormat(bool(options, "log_raw", false), bool(options, "hmac_accessor", true),
                options.getOrDefault("prefix", ""));
    }

    static boolean bool(Map<String, String> options, String key, boolean fallback) {
        String v = options.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "t" -> true;
            case "false", "0", "f" -> false;
            default -> throw new CofferException.BadRequest("audit option " + key + " must be true or false, got \""
                    + v + "\"");
        };
    }
}
