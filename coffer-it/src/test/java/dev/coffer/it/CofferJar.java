package dev.coffer.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the distribution jar the reactor built and the java binary running the tests. */
final class CofferJar {

    private CofferJar() {
    }

    static Path jar() {
        List<Path> candidates = new ArrayList<>();
        for (String base : new String[] {System.getProperty("basedir"), System.getProperty("user.dir")}) {
            if (base != null) {
                candidates.add(Path.of(base).resolve("../coffer-dist/target/coffer.jar").normalize());
                candidates.add(Path.of(base).resolve("coffer-dist/target/coffer.jar").normalize());
            }
        }
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() -> new IllegalStateException(
                "coffer.jar not found (looked at " + candidates + "); build it first with "
                        + "`mvn -pl coffer-it -am verify` from the repository root, which packages coffer-dist before these tests"));
    }

    /** The same JVM that runs the tests, so the children need no JDK lookup of their own. */
    static String java() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** {@code java [jvm options] -jar coffer.jar}, with a fast-starting JVM and the home directory moved to {@code home}. */
    static List<String> command(Path home, List<String> args) {
        return command(home, List.of(), args);
    }

    /** As {@link #command(Path, List)} with extra JVM options (system properties such as a trust store) before -jar. */
    static List<String> command(Path home, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Duser.home=" + home));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(args);
        return command;
    }

    /**
     * Environment for a child: no VAULT_ or COFFER_ setting of the developer's shell leaks in, HOME points at a
     * temp directory and dev mode never writes a ~/.vault-token.
     */
    static void isolate(java.util.Map<String, String> env, Path home) {
        env.keySet().removeIf(k -> k.startsWith("VAULT_") || k.startsWith("COFFER_"));
        env.put("HOME", home.toString());
        env.put("COFFER_DEV_SKIP_TOKEN_FILE", "true");
    }
}
