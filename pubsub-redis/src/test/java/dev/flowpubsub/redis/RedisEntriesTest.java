package dev.flowpubsub.redis;

import dev.flowpubsub.Inbox;
import dev.flowpubsub.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a node does with entries in the stream that it did not expect: count, log once with the id, skip, go on. */
@Tag("integration")
class RedisEntriesTest {

    private RedisServer redis;
    private RedisClient adminClient;
    private StatefulRedisConnection<String, String> admin;

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
        adminClient = RedisClient.create(redis.uri());
        admin = adminClient.connect();
    }

    @AfterEach
    void stopRedis() {
        admin.close();
        adminClient.shutdown();
        redis.close();
    }

    @Test
    void malformedAndForeignEntries_areCountedLoggedOnceWithTheirIdAndSkipped_andTheNodeKeepsRunning() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        List<String> badIds = new ArrayList<>();
        String nodeId;
        try (RedisNode sender = new RedisNode(redis.uri()); RedisNode node = new RedisNode(redis.uri())) {
            Inbox inbox = node.page("t");
            nodeId = node.hub.nodeId().orElseThrow();
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            RedisCommands<String, String> redisCli = admin.sync();
            String stream = "flow-pubsub:messages";
            badIds.add(redisCli.xadd(stream, Map.of("hello", "world")));
            badIds.add(redisCli.xadd(stream, Map.of("o", "intruder", "s", "not-a-number", "p", "{}")));
            badIds.add(redisCli.xadd(stream, Map.of("o", "intruder", "s", "1", "t", "t", "p", "garbage")));
            badIds.add(redisCli.xadd(stream, Map.of("o", "intruder", "s", "2", "t", "t",
                    "p", "{\"t\":\"java.io.File\",\"v\":\"/etc/passwd\"}")));
            badIds.add(redisCli.xadd(stream, Map.of("o", "intruder", "s", "0", "p", "{\"t\":\"string\",\"v\":\"x\"}")));
            sender.hub.sendAllOnTopic("t", "a real message after the bad ones");

            await().atMost(Duration.ofSeconds(20)).until(() -> inbox.messages.size() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> node.hub.stats().remoteRejected() == 5);
            assertThat(inbox.messages).containsExactly("a real message after the bad ones");
            assertThat(node.hub.transportHealth().orElseThrow().up()).isTrue();
        } finally {
            System.setErr(originalErr);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        // ids of entries the transport rejects are Redis ids; ids of payloads the codec rejects are origin#sequence
        for (String id : List.of(badIds.get(0), badIds.get(1), badIds.get(4))) {
            assertThat(logged.lines().filter(line -> line.contains("node " + nodeId + " skipped entry " + id)).count())
                    .as("entry %s logged once", id).isEqualTo(1);
        }
        assertThat(logged).contains(nodeId + " skipped entry intruder#1", nodeId + " skipped entry intruder#2", "not allowed");
    }

    @Test
    void entriesOfAFormatVersionThisNodeDoesNotKnow_areSkippedAndCounted_andEverythingElseIsRead() {
        try (RedisNode node = new RedisNode(redis.uri());
             RedisNode newer = new RedisNode(redis.uri(), settings -> settings.formatVersion(2));
             RedisNode peer = new RedisNode(redis.uri())) {
            Inbox inbox = node.page("t");
            RedisCommands<String, String> redisCli = admin.sync();
            String stream = "flow-pubsub:messages";
            newer.hub.sendAllOnTopic("t", "from a newer node");
            // what the previous release wrote: no version field, which is version 1
            redisCli.xadd(stream, Map.of("o", "older-node", "s", "1", "t", "t", "p", "{\"t\":\"string\",\"v\":\"from an older node\"}"));
            redisCli.xadd(stream, Map.of("v", "3", "o", "future-node", "s", "1", "t", "t", "p", "anything"));
            peer.hub.sendAllOnTopic("t", "from a peer");

            await().atMost(Duration.ofSeconds(20)).until(() -> inbox.messages.size() == 2);
            await().atMost(Duration.ofSeconds(5)).until(() -> node.hub.stats().remoteRejected() >= 2);
            assertThat(inbox.messages).containsExactly("from an older node", "from a peer");
        }
    }
}
