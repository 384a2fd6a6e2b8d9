package dev.flowpubsub.redis;

import dev.flowpubsub.testsupport.RedisServer;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate for 127.0.0.1, made with {@code openssl} for the TLS tests. */
record TestCertificates(Path certificate, Path key) {

    static TestCertificates create() {
        if (RedisServer.findOnPath("openssl") == null) {
            String message = "the TLS test needs openssl, which is not installed: apt-get install -y openssl";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: the Redis tests must not be skipped)");
            }
            Assumptions.abort(message);
        }
        try {
            Path dir = Files.createTempDirectory(Path.of("target"), "tls-");
            Path certificate = dir.resolve("redis.crt");
            Path key = dir.resolve("redis.key");
            Process process = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key.toString(), "-out", certificate.toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("openssl failed; see " + dir.resolve("openssl.log"));
            }
            return new TestCertificates(certificate.toAbsolutePath(), key.toAbsolutePath());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
