package dev.coffer.server.config;

import dev.coffer.hcl.ConfigNode;
import dev.coffer.hcl.ConfigException;
import dev.coffer.hcl.HclParser;
import dev.coffer.hcl.ConfigNode.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Loads the server configuration from the {@code -config} paths, like Vault: each path is a file (HCL or
 * JSON) or a directory whose {@code *.hcl} and {@code *.json} files are read in lexical order (not
 * recursively). Everything is merged into one {@link ServerConfig}; see {@code docs/configuration.md}.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /** Loads and validates a production configuration: storage and at least one listener are required. */
    public static ServerConfig load(List<Path> paths) {
        return ServerConfigBuilder.build(readAll(paths), false);
    }

    /**
     * Loads a configuration for dev mode, where storage and listeners are optional (dev mode brings
     * in-memory storage and its own listener). {@code paths} may be empty.
     */
    public static ServerConfig loadDev(List<Path> paths) {
        return ServerConfigBuilder.build(readAll(paths), true);
    }

    /** Parses and validates one configuration text; {@code fileName} is used in messages and for the format. */
    public static ServerConfig parse(String fileName, String text) {
        return ServerConfigBuilder.build(List.of(parseTree(fileName, text)), false);
    }

    /** Parses one text into the position-keeping tree, as HCL or JSON (by extension, else by content). */
    public static ObjectNode parseTree(String fileName, String text) {
        return isJson(fileName, text) ? JsonConfigParser.parse(fileName, text) : HclParser.parse(fileName, text);
    }

    static boolean isJson(String fileName, String text) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            return true;
        }
        return !lower.endsWith(".hcl") && text.stripLeading().startsWith("{");
    }

    private static List<ObjectNode> readAll(List<Path> paths) {
        List<ObjectNode> trees = new ArrayList<>();
        for (Path path : paths) {
            for (Path file : expand(path)) {
                trees.add(parseTree(file.toString(), read(file)));
            }
        }
        return trees;
    }

    private static List<Path> expand(Path path) {
        if (Files.isDirectory(path)) {
            try (Stream<Path> children = Files.list(path)) {
                return children.filter(ConfigLoader::isConfigFile).sorted().toList();
            } catch (IOException e) {
                throw new ConfigException(path + ": cannot list the configuration directory: " + e.getMessage()
                        + "; check that it exists and is readable", e);
            }
        }
        if (!Files.exists(path)) {
            throw new ConfigException(path + ": configuration file not found; check the -config path");
        }
        return List.of(path);
    }

    private static boolean isConfigFile(Path p) {
        String name = p.getFileName().toString();
        return Files.isRegularFile(p) && (name.endsWith(".hcl") || name.endsWith(".json"));
    }

    private static String read(Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": not valid UTF-8 text; save the configuration as UTF-8", e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the configuration file: " + e.getMessage()
                    + "; check its permissions", e);
        }
    }
}
