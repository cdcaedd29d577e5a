package dev.coffer.audit;

import static dev.coffer.audit.AuditTestSupport.fileDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coffer.CofferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditDeviceTest {
    @TempDir
    Path dir;

    private static ObjectNode entry(String n) {
        return AuditTestSupport.M.createObjectNode().put("n", n);
    }

    @Test
    void writesOneJsonLinePerEntryWithPrefixAndMode0600() throws IOException {
        Path log = dir.resolve("audit.log");
        AuditDevice d = FileAuditDevice.create(fileDevice("file", log, "prefix", "coffer: "));
        d.write(entry("1"));
        d.write(entry("2"));
        d.close();
        assertThat(Files.readAllLines(log)).containsExactly("coffer: {\"n\":\"1\"}", "coffer: {\"n\":\"2\"}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
    }

    @Test
    void modeOptionSetsThePermissionsOfANewFile() throws IOException {
        Path log = dir.resolve("audit.log");
        FileAuditDevice.create(fileDevice("file", log, "mode", "0640")).close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-r-----");
    }

    @Test
    void reopenAfterRenameWritesToANewFileAtFilePath() throws IOException {
        Path log = dir.resolve("audit.log");
        Path rotated = dir.resolve("audit.log.1");
        AuditDevice d = FileAuditDevice.create(fileDevice("file", log));
        d.write(entry("before"));
        Files.move(log, rotated);
        d.write(entry("still-old"));
        d.reopen();
        d.write(entry("after"));
        d.close();
        assertThat(Files.readAllLines(rotated)).containsExactly("{\"n\":\"before\"}", "{\"n\":\"still-old\"}");
        assertThat(Files.readAllLines(log)).containsExactly("{\"n\":\"after\"}");
    }

    @Test
    void aDeviceWhoseDirectoryVanishedFailsAndRecoversOnceItIsBack() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("logs"));
        Path log = sub.resolve("audit.log");
        AuditDevice d = FileAuditDevice.create(fileDevice("file", log));
        Files.delete(log);
        Files.delete(sub);
        Files.writeString(sub, "a regular file where the directory was");
        assertThatThrownBy(d::reopen).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> d.write(entry("lost"))).isInstanceOf(IOException.class);
        Files.delete(sub);
        Files.createDirectory(sub);
        d.write(entry("back"));
        d.close();
        assertThat(Files.readAllLines(log)).containsExactly("{\"n\":\"back\"}");
    }

    @Test
    void stdoutAndDiscardNeedNoFile() throws IOException {
        AuditDevice discard = FileAuditDevice.create(new AuditDeviceConfig("d", "file", null,
                Map.of("file_path", "discard"), false));
        discard.write(entry("x"));
        discard.reopen();
        assertThat(FileAuditDevice.create(new AuditDeviceConfig("s", "file", null, Map.of("file_path", "stdout"),
                false)).format().logRaw()).isFalse();
    }

    @Test
    void invalidOptionsAre400WithAHint() {
        assertThatThrownBy(() -> FileAuditDevice.create(new AuditDeviceConfig("f", "file", null, Map.of(), false)))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("file_path=");
        assertThatThrownBy(() -> FileAuditDevice.create(fileDevice("f", dir.resolve("a"), "colour", "red")))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("colour");
        assertThatThrownBy(() -> FileAuditDevice.create(fileDevice("f", dir.resolve("a"), "mode", "rw")))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("octal");
        assertThatThrownBy(() -> FileAuditDevice.create(fileDevice("f", dir.resolve("a"), "log_raw", "maybe")))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("true or false");
        assertThatThrownBy(() -> FileAuditDevice.create(fileDevice("f", dir.resolve("a"), "format", "jsonx")))
                .isInstanceOf(CofferException.BadRequest.class).hasMessageContaining("format=json");
    }

    @Test
    void aPathUnderARegularFileCannotBeEnabled() throws IOException {
        Path notADir = Files.writeString(dir.resolve("plain"), "x");
        assertThatThrownBy(() -> FileAuditDevice.create(fileDevice("f", notADir.resolve("audit.log"))))
                .isInstanceOf(CofferException.BadRequest.class)
                .hasMessageContaining("cannot open audit file").hasMessageContaining("choose another file_path");
    }
}
