package dev.flowpubsub.postgres;

import java.util.regex.Pattern;

/**
 * Shows where the transport connects without any secret: the JDBC URL without its query string (where pgjdbc
 * takes a {@code password=} parameter) and without user information, and error messages with the password removed.
 */
final class PostgresUrls {

    private static final Pattern USER_INFO = Pattern.compile("//[^/@?]*@");

    private PostgresUrls() {
    }

    /** {@code jdbc:postgresql://host:port/database}, whatever the URL held after it. */
    static String display(String url) {
        String shown = url;
        int query = shown.indexOf('?');
        if (query >= 0) {
            shown = shown.substring(0, query);
        }
        return USER_INFO.matcher(shown).replaceFirst("//");
    }

    /** What the transport does to error texts today: {@link #redact} with the builder's password. */
    static java.util.function.UnaryOperator<String> redactor(String url, String password) {
        return text -> redact(text, password);
    }

    /** {@code text} with every occurrence of {@code password} replaced, for logs and health. */
    static String redact(String text, String password) {
        if (text == null || password == null || password.isEmpty()) {
            return text;
        }
        return text.replace(password, "****");
    }
}
