package dev.coffer.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads secrets from the terminal without echo; when there is no terminal (piped input, CI), reads one line
 * from standard input and writes the prompt to standard error so standard output stays parseable.
 */
public final class ConsolePrompter implements Prompter {
    private final Console console;
    private final BufferedReader stdin;
    private final PrintStream promptOut;

    public ConsolePrompter(Console console, InputStream stdin, PrintStream promptOut) {
        this.console = isTerminal(console) ? console : null;
        this.stdin = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        this.promptOut = promptOut;
    }

    @Override
    public String readSecret(String prompt) {
        if (console != null) {
            char[] typed = console.readPassword("%s", prompt);
            return typed == null ? null : new String(typed);
        }
        promptOut.print(prompt);
        promptOut.flush();
        try {
            return stdin.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read from standard input", e);
        }
    }

    /** Since JDK 22 System.console() is non-null even when redirected; Console.isTerminal() tells the truth. */
    private static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
