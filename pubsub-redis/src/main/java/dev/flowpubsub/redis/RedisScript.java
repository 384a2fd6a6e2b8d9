package dev.flowpubsub.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script run by its SHA ({@code EVALSHA}), sent whole ({@code EVAL}) only when the server does not know it: the
 * first call after Redis started, or after a restart emptied its script cache. Its reply is a list (Lua table):
 * strings come back as bytes, numbers as {@link Long}, nested tables as lists.
 *
 * @param name what it does, for error messages
 * @param body the script
 * @param sha  the SHA-1 of {@code body}, as Redis names the script
 */
record RedisScript(String name, String body, String sha) {

    /** A script and its SHA. */
    static RedisScript of(String name, String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8));
            return new RedisScript(name, body, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    /**
     * Runs the script on {@code connection}; never blocks. Threading: any thread; the stage completes on Lettuce's.
     */
    CompletableFuture<List<Object>> run(StatefulRedisConnection<byte[], byte[]> connection, byte[][] keys,
                                        byte[]... args) {
        return connection.async().<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args).toCompletableFuture()
                .exceptionallyCompose(failure -> unwrap(failure) instanceof RedisNoScriptException
                        ? connection.async().<List<Object>>eval(body, ScriptOutputType.MULTI, keys, args)
                                .toCompletableFuture()
                        : CompletableFuture.failedFuture(unwrap(failure)));
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Override
    public String toString() {
        return "RedisScript[" + name + ", " + sha + "]";
    }
}
