package dev.flowpubsub.redis;

import dev.flowpubsub.Inbox;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Writes Redis refuses (out of memory) and an outbox that fills while Redis is away. */
@Tag("integration")
class RedisWriteFaultTest {

    @RegisterExtension
    final RedisTestbed testbed = new RedisTestbed();

    private <T extends AutoCloseable> T closeLater(T closeable) {
        return testbed.closeLater(closeable);
    }

    @Test
    void writesRefusedForMemoryMidBatch_neitherReorderNorLoseMessages() throws Exception {
        RedisNode a = testbed.node();
        RedisNode b = testbed.node();
        Inbox onB = b.page("flow");
        RedisClient adminClient = RedisClient.create(testbed.redis().uri());
        StatefulRedisConnection<String, String> admin = adminClient.connect();
        closeLater(adminClient::shutdown);
        closeLater(admin);
        admin.sync().configSet(Map.of("maxmemory-policy", "noeviction"));

        // Redis flips between refusing every write and taking them, many times within one pipelined batch
        AtomicBoolean flipping = new AtomicBoolean(true);
        Random random = new Random(11);
        Thread flipper = Thread.ofPlatform().start(() -> {
            while (flipping.get()) {
                admin.sync().configSet(Map.of("maxmemory", "1"));
                sleep(random.nextInt(3));
                admin.sync().configSet(Map.of("maxmemory", "0"));
                sleep(random.nextInt(3));
            }
        });
        int count = 3_000;
        for (int n = 0; n < count; n++) {
            a.hub.sendAllOnTopic("flow", "a:" + n);
            if (n % 10 == 0) {
                sleep(1);
            }
        }
        flipping.set(false);
        flipper.join();
        admin.sync().configSet(Map.of("maxmemory", "0"));

        assertThat(testbed.redis().cli("INFO", "errorstats")).as("Redis refused writes for memory").contains("errorstat_OOM");
        await().atMost(Duration.ofSeconds(60)).until(() -> onB.messages.size() >= count);
        assertThat(onB.messages).as("every message once, in order")
                .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(n -> (Object) ("a:" + n)).toList());
        assertThat(b.hub.stats().remoteMissed()).isZero();
    }

    @Test
    void outboxWhileRedisIsAway_isBoundedInBytes_andCountsWhatItDrops() {
        RedisNode a = testbed.node(transport -> transport.outboxMaxBytes(100_000), hub -> hub);
        testbed.redis().kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.hub.transportHealth().orElseThrow().up());

        String fiveKilobytes = "x".repeat(5_000);
        for (int n = 0; n < 100; n++) {
            a.hub.sendAll(n + fiveKilobytes);
        }

        Map<String, Object> health = a.hub.transportHealth().orElseThrow().details();
        int buffered = (Integer) health.get("buffered");
        assertThat(buffered).as("about 100,000 bytes of 5,000-byte messages wait").isBetween(15, 20);
        assertThat((Long) health.get("bufferedBytes")).isLessThanOrEqualTo(100_000L);
        // every message waits or is counted as dropped (one may be in the writer's hands, and the hub's own
        // presence messages count too)
        assertThat((Long) health.get("droppedWhileDown")).isGreaterThanOrEqualTo(100L - buffered - 1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
