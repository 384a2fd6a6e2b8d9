package dev.flowpubsub.redis;

import io.lettuce.core.RedisURI;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * What of a Redis URI may be shown: in logs, in health, in error messages. Built from the parsed {@link RedisURI}
 * (scheme, host, port, database), never by masking the text the user gave, so no spelling of a password (with or
 * without a user name, with a slash, percent-encoded) can slip through.
 */
final class RedisUris {

    private RedisUris() {
    }

    /** {@code redis://host:port[/database]}, {@code rediss://...} with TLS; no user name, no password. */
    static String display(RedisURI uri) {
        if (uri.getSocket() != null) {
            return "redis-socket://" + uri.getSocket();
        }
        StringBuilder shown = new StringBuilder();
        if (!uri.getSentinels().isEmpty()) {
            shown.append("redis-sentinel://").append(uri.getSentinels().stream()
                    .map(sentinel -> sentinel.getHost() + ":" + sentinel.getPort()).collect(Collectors.joining(",")));
        } else {
            shown.append(uri.isSsl() ? "rediss://" : "redis://").append(uri.getHost()).append(':').append(uri.getPort());
        }
        if (uri.getDatabase() != 0) {
            shown.append('/').append(uri.getDatabase());
        }
        if (uri.getSentinelMasterId() != null) {
            shown.append("#").append(uri.getSentinelMasterId());
        }
        return shown.toString();
    }

    /** {@code text} (an error from the client, say) with the URI's password removed in every form it may take. */
    static String redact(String text, RedisURI uri) {
        char[] password = uri.getCredentialsProvider() == null ? null : passwordOf(uri);
        if (password == null || password.length == 0) {
            return text;
        }
        String plain = new String(password);
        return text.replace(plain, "***").replace(URLEncoder.encode(plain, StandardCharsets.UTF_8), "***");
    }

    @SuppressWarnings("deprecation") // the only synchronous way to read a static password back
    private static char[] passwordOf(RedisURI uri) {
        return uri.getPassword();
    }
}
