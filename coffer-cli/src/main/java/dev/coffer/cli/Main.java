package dev.coffer.cli;

/** Main class of the distribution jar; the picocli command tree lands with the CLI work. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(1);
    }
}
