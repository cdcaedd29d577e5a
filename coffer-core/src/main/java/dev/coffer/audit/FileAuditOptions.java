package dev.coffer.audit;

import dev.coffer.CofferException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options of a {@code file} audit device.
 *
 * @param sink where entries go
 * @param file the file for {@link Sink#FILE}, else null
 * @param mode permissions given to a file the device creates; null to leave the umask's ({@code mode=0000})
 */
record FileAuditOptions(Sink sink, Path file, Set<PosixFilePermission> mode) {
    static final Set<String> KNOWN = Set.of("file_path", "path", "log_raw", "hmac_accessor", "mode", "prefix", "format");

    enum Sink { FILE, STDOUT, DISCARD }

    static FileAuditOptions from(Map<String, String> options) {
        Set<String> unknown = new TreeSet<>(options.keySet());
        unknown.removeAll(KNOWN);
        if (!unknown.isEmpty()) {
            throw new CofferException.BadRequest("unknown file audit option(s) " + unknown + "; supported: "
                    + new TreeSet<>(KNOWN));
        }
        String p = options.getOrDefault("file_path", options.get("path"));
        if (p == null || p.isBlank()) {
            throw new CofferException.BadRequest("the file audit device needs file_path: a file, \"stdout\" or "
                    + "\"discard\", e.g. file_path=/var/log/coffer/audit.log");
        }
        Set<PosixFilePermission> mode = mode(options.getOrDefault("mode", "0600"));
        return switch (p.strip()) {
            case "stdout" -> new FileAuditOptions(Sink.STDOUT, null, null);
            case "discard" -> new FileAuditOptions(Sink.DISCARD, null, null);
            default -> new FileAuditOptions(Sink.FILE, Path.of(p.strip()).toAbsolutePath(), mode);
        };
    }

    private static Set<PosixFilePermission> mode(String octal) {
        int bits;
        try {
            bits = Integer.parseInt(octal.strip(), 8);
        } catch (NumberFormatException e) {
            bits = -1;
        }
        if (bits < 0 || bits > 0777) {
            throw new CofferException.BadRequest("audit option mode must be octal file permissions such as 0600, got \""
                    + octal + "\"");
        }
        if (bits == 0) {
            return null;
        }
        StringBuilder rwx = new StringBuilder();
        String letters = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            rwx.append((bits & (1 << (8 - i))) != 0 ? letters.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(rwx.toString());
    }
}
