package dev.flowpubsub.postgres;

import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the secrets of a JDBC URL out of everything the transport shows: the URL is shown without its parameters
 * (where pgjdbc takes {@code password=} and {@code sslpassword=}), and error texts are scrubbed of the URL, of any
 * other PostgreSQL URL they quote, of password parameters and of each known password in each of its forms (as
 * written, and percent-decoded) before they are kept for health or logged. URLs with user information
 * ({@code user:password@host}), which pgjdbc does not read, and URLs pgjdbc cannot parse are refused when the
 * transport is built, without being echoed.
 *
 * <p>Threading: stateless; the redactor it makes is immutable.
 */
final class PostgresUrls {

    private static final String PREFIX = "jdbc:postgresql:";
    /** Shown instead of a URL that cannot be shown safely. */
    private static final String NOT_SHOWN = PREFIX + "(a URL that is not shown)";
    /** A password parameter and its value, in a URL or in a text that quotes one. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)((?:ssl)?password)=[^&\\s]*");
    /** A PostgreSQL JDBC URL quoted in a text, up to the next white space. */
    private static final Pattern QUOTED_URL = Pattern.compile("(?i)jdbc:postgresql:\\S*");
    private static final String MASK = "****";

    private PostgresUrls() {
    }

    /**
     * {@code jdbcUrl} without surrounding white space, if it is a PostgreSQL JDBC URL that pgjdbc can use.
     *
     * @throws IllegalArgumentException if it is not, with a message that does not quote it (it may hold a password)
     */
    static String checked(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl must not be null: pass jdbc:postgresql://host:5432/database");
        String text = jdbcUrl.strip();
        if (!text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a PostgreSQL JDBC URL must start with jdbc:postgresql:, such as "
                    + "jdbc:postgresql://host:5432/database (the URL is not shown, as it may hold a password)");
        }
        String problem = problem(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return text;
    }

    /**
     * Why pgjdbc could not use {@code url}, without quoting it; {@code null} if it can. A URL with user information
     * is refused too: pgjdbc would take {@code user:password@host} for a host name, and show it in its errors.
     */
    static @Nullable String problem(String url) {
        Properties parsed = Driver.parseURL(url, null);
        if (parsed == null) {
            return "pgjdbc cannot read this JDBC URL (not shown, as it may hold a password): check its host, its port "
                    + "(a number) and its database, as in jdbc:postgresql://host:5432/database";
        }
        if (parsed.getProperty("PGHOST", "").contains("@")) {
            return "this JDBC URL holds user information (user:password@host), which pgjdbc does not read (the URL is "
                    + "not shown, as it holds a password): give the user and password to the transport's builder "
                    + "(username, password; pubsub.postgres.username and .password)";
        }
        return null;
    }

    /**
     * {@code jdbc:postgresql://host:port/database}, without the parameters the URL had after it; a placeholder for a
     * URL pgjdbc cannot read or that holds user information.
     */
    static String display(@Nullable String url) {
        if (url == null || problem(url) != null) {
            return NOT_SHOWN;
        }
        int query = url.indexOf('?');
        String shown = query >= 0 ? url.substring(0, query) : url;
        return PASSWORD_PARAMETER.matcher(shown).replaceAll("$1=" + MASK);
    }

    /**
     * What error texts go through before health keeps them or a log shows them: {@code url} (may be null) replaced by
     * its {@link #display}, any other PostgreSQL URL quoted likewise, {@code password=}/{@code sslpassword=}
     * parameters masked, and every password known here ({@code password}, and those in {@code url}) masked as
     * written and percent-decoded.
     */
    static UnaryOperator<String> redactor(@Nullable String url, @Nullable String password) {
        List<String> secrets = new ArrayList<>();
        addSecret(secrets, password);
        if (url != null) {
            Matcher parameter = PASSWORD_PARAMETER.matcher(url);
            while (parameter.find()) {
                addSecret(secrets, parameter.group().substring(parameter.group(1).length() + 1));
            }
            Properties parsed = Driver.parseURL(url, null); // as pgjdbc reads them: a space or an & kept, decoded
            if (parsed != null) {
                addSecret(secrets, parsed.getProperty("password"));
                addSecret(secrets, parsed.getProperty("sslpassword"));
            }
        }
        secrets.sort(Comparator.comparingInt(String::length).reversed()); // a longer form first: it may hold a shorter
        String shownUrl = display(url);
        List<String> forms = List.copyOf(secrets);
        return text -> {
            String scrubbed = url == null || url.isEmpty() ? text : text.replace(url, shownUrl);
            scrubbed = QUOTED_URL.matcher(scrubbed).replaceAll(quoted -> Matcher.quoteReplacement(
                    quoted.group().equals(shownUrl) ? shownUrl : display(quoted.group())));
            scrubbed = PASSWORD_PARAMETER.matcher(scrubbed).replaceAll("$1=" + MASK);
            for (String secret : forms) {
                scrubbed = scrubbed.replace(secret, MASK);
            }
            return scrubbed;
        };
    }

    private static void addSecret(List<String> secrets, @Nullable String secret) {
        if (secret == null || secret.isEmpty()) {
            return;
        }
        secrets.add(secret);
        try {
            String decoded = URLDecoder.decode(secret, StandardCharsets.UTF_8);
            if (!decoded.equals(secret)) {
                secrets.add(decoded);
            }
        } catch (IllegalArgumentException notEncoded) {
            // a % that starts no escape: the secret as written is all there is
        }
    }
}
