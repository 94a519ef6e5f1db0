package dev.stator.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.util.Locale;

/** Questions asked at the terminal before doing something that cannot be taken back. */
final class Prompt {

    private Prompt() {
    }

    /** Asks {@code question} with [y/N]; without a terminal there is nobody to ask, so the answer is no. */
    static boolean confirm(String question) throws IOException {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        console.printf("%s? [y/N] ", question);
        console.flush();
        String answer = new BufferedReader(console.reader()).readLine();
        return answer != null && answer.trim().toLowerCase(Locale.ROOT).matches("y|yes");
    }

    /** Reads a password at the terminal without echo; null without a terminal. */
    static String password(String prompt) {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        char[] p = console.readPassword("%s: ", prompt);
        return p == null ? null : new String(p);
    }
}
