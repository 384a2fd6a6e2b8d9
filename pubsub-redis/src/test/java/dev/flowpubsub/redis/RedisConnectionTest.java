package dev.flowpubsub.redis;

import dev.flowpubsub.Inbox;
import dev.flowpubsub.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** How nodes connect: few connections, passwords kept secret, TLS. */
@Tag("integration")
class RedisConnectionTest {

    private static long clientCount(RedisServer redis) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> admin = client.connect()) {
            return admin.sync().clientList().lines().filter(line -> !line.isBlank()).count() - 1; // minus ourselves
        } finally {
            client.shutdown();
        }
    }

    @Test
    void eachNodeHoldsOneReadingAndOneWritingConnection_howeverManyPagesItHas() {
        try (RedisServer redis = RedisServer.start();
             RedisNode a = new RedisNode(redis.uri());
             RedisNode b = new RedisNode(redis.uri())) {
            for (int n = 0; n < 50; n++) {
                a.page("room-" + n);
            }
            b.page();
            a.hub.sendAll("warm up the writer");
            await().atMost(Duration.ofSeconds(10)).until(() -> b.hub.stats().remoteReceived() == 1);
            b.hub.sendAll("and b's");
            await().atMost(Duration.ofSeconds(10)).until(() -> a.hub.stats().remoteReceived() == 1);

            assertThat(clientCount(redis)).isEqualTo(4);
        }
    }

    @Test
    void passwordProtectedRedis_works_andThePasswordAppearsInNoLogNorHealth() {
        String password = "s3cret-Pa55word";
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (RedisServer redis = RedisServer.start(password);
             RedisNode a = new RedisNode(redis.uri());
             RedisNode b = new RedisNode(redis.uri());
             RedisNode wrong = new RedisNode("redis://:wrong-" + password + "@127.0.0.1:" + redis.port())) {
            Inbox onB = b.page();
            a.hub.sendAll("through a password");
            await().atMost(Duration.ofSeconds(20)).until(() -> onB.messages.size() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> wrong.hub.transportHealth().orElseThrow().details().containsKey("lastError"));

            assertThat(onB.messages).containsExactly("through a password");
            assertThat(wrong.hub.transportHealth().orElseThrow().up()).isFalse();
            assertThat(wrong.hub.transportHealth().orElseThrow().toString()).doesNotContain(password)
                    .contains("redis://127.0.0.1:" + redis.port());
            assertThat(a.transport.toString()).doesNotContain(password);
        } finally {
            System.setErr(originalErr);
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("redis://127.0.0.1:").doesNotContain(password);
    }

    @Test
    void passwordWrittenWithoutAColonOrHoldingASlash_appearsInNoLogHealthOrError() {
        String password = "s3cretWord/x";
        String encoded = "s3cretWord%2Fx";
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        List<String> shown = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(password)) {
            // a password alone before the @ (no colon), a user and a password, a slash percent-encoded
            for (String uri : List.of("redis://" + encoded + "@127.0.0.1:" + redis.port(),
                    "redis://default:" + encoded + "@127.0.0.1:" + redis.port() + "/0",
                    "redis://:" + encoded + "@127.0.0.1:" + redis.port())) {
                try (RedisNode node = new RedisNode(uri); RedisNode other = new RedisNode(redis.uri())) {
                    Inbox inbox = other.page();
                    node.hub.sendAll("through " + node.transport);
                    await().atMost(Duration.ofSeconds(20)).until(() -> inbox.messages.size() == 1);
                    shown.add(node.transport.toString());
                    shown.add(node.hub.transportHealth().orElseThrow().toString());
                }
            }
            for (String uri : List.of("redis://:" + password + "@127.0.0.1:6379", "redis://" + password + "@127.0.0.1:6379")) {
                Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> RedisTransport.create(uri));
                assertThat(refused).as("the unencoded slash makes %s malformed", "the URI").isInstanceOf(IllegalArgumentException.class);
                shown.add(refused.getMessage());
            }
        } finally {
            System.setErr(originalErr);
        }
        assertThat(shown).allSatisfy(text -> assertThat(text).doesNotContain("s3cretWord"));
        assertThat(shown.getFirst()).contains("redis://127.0.0.1:");
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("127.0.0.1").doesNotContain("s3cretWord");
    }

    @Test
    void malformedUri_isRefusedWithoutQuotingItsPassword() {
        assertThatThrownBy(() -> RedisTransport.create("redis://:hunter2@[not-a-host"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed Redis URI")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> RedisTransport.create("http://:hunter2@localhost"))
                .hasMessageContaining("must start with redis:// or rediss://")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> RedisTransport.builder("redis://localhost").retention(Duration.ZERO))
                .hasMessageContaining("retention must be at least 1 second");
    }

    @Test
    void tlsRedis_worksWithRediss_andTheServersCertificateIsVerified() {
        TestCertificates certificates = TestCertificates.create();
        try (RedisServer redis = RedisServer.startTls(certificates.certificate(), certificates.key());
             RedisNode a = new RedisNode(redis.uri(), settings -> settings.trustedCertificate(certificates.certificate()));
             RedisNode b = new RedisNode(redis.uri(), settings -> settings.trustedCertificate(certificates.certificate()));
             RedisNode untrusting = new RedisNode(redis.uri())) {
            Inbox onB = b.page();
            Inbox onUntrusting = untrusting.page();

            a.hub.sendAll("over TLS");

            await().atMost(Duration.ofSeconds(20)).until(() -> onB.messages.size() == 1);
            assertThat(onB.messages).containsExactly("over TLS");
            assertThat(redis.uri()).startsWith("rediss://");
            assertThat(untrusting.hub.transportHealth().orElseThrow().up())
                    .as("a node that does not trust the certificate does not connect").isFalse();
            assertThat(onUntrusting.messages).isEmpty();
        }
    }
}
