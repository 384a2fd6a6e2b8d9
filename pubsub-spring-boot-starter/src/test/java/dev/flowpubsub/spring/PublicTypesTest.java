package dev.flowpubsub.spring;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every public type of the published modules (pubsub, pubsub-redis, pubsub-postgres and this starter) is either API,
 * listed below, or in a package labelled not API ({@code dev.flowpubsub.internal}, {@code dev.flowpubsub.spi.support}).
 * A new public type fails here until it is listed (the first release freezes what is public: say so deliberately)
 * or moved to a labelled package. It lives in the starter because its test classpath holds every published module.
 */
class PublicTypesTest {

    /** The published modules' source roots, from this module's directory (where Maven runs its tests). */
    private static final List<Path> SOURCES = List.of(Path.of("../pubsub/src/main/java"),
            Path.of("../pubsub-redis/src/main/java"), Path.of("../pubsub-postgres/src/main/java"),
            Path.of("src/main/java"));

    /** Packages whose javadoc says they are public for the library's own modules only, and may change. */
    private static final Set<String> LABELLED = Set.of("dev.flowpubsub.internal", "dev.flowpubsub.spi.support");

    /**
     * The API: the types an application or a transport author may use. The root package, {@code testing} and
     * {@code micrometer} are also held to their first release by the build's compatibility check (japicmp); the
     * {@code spi} is API but provisional (its package javadoc says so) until its first release.
     */
    private static final Set<String> API = Set.of("""
            dev.flowpubsub.ClusterSignals
            dev.flowpubsub.ComponentPubSub
            dev.flowpubsub.DeliveryError
            dev.flowpubsub.DeliveryErrorHandler
            dev.flowpubsub.HistoryPolicy
            dev.flowpubsub.JsonCodec
            dev.flowpubsub.LatencyListener
            dev.flowpubsub.MessageHandler
            dev.flowpubsub.OverflowPolicy
            dev.flowpubsub.OwnedWrites
            dev.flowpubsub.Presence
            dev.flowpubsub.PresenceEvent
            dev.flowpubsub.PresenceEvent$Kind
            dev.flowpubsub.PresenceRegistration
            dev.flowpubsub.PubSub
            dev.flowpubsub.PubSubAccessDeniedException
            dev.flowpubsub.PubSubHub
            dev.flowpubsub.PubSubHubBuilder
            dev.flowpubsub.PubSubSendRefusedException
            dev.flowpubsub.PubSubSendRefusedException$Reason
            dev.flowpubsub.PubSubSignalRefusedException
            dev.flowpubsub.PubSubStats
            dev.flowpubsub.Retargetable
            dev.flowpubsub.SignalStats
            dev.flowpubsub.Topic
            dev.flowpubsub.TopicAuthorizer
            dev.flowpubsub.TopicAuthorizer$Action
            dev.flowpubsub.TopicMessageHandler

            dev.flowpubsub.testing.ClusterNode
            dev.flowpubsub.testing.ClusterPage
            dev.flowpubsub.testing.InMemoryEngine
            dev.flowpubsub.testing.InMemoryTransport
            dev.flowpubsub.testing.InMemoryTransport$Bus
            dev.flowpubsub.testing.PubSubCluster
            dev.flowpubsub.testing.PubSubCluster$NodeFactory
            dev.flowpubsub.testing.PubSubClusterBuilder
            dev.flowpubsub.testing.PubSubClusterExtension
            dev.flowpubsub.testing.PubSubTesting
            dev.flowpubsub.testing.Received
            dev.flowpubsub.micrometer.PubSubMetrics

            dev.flowpubsub.spi.MessageCodec
            dev.flowpubsub.spi.SignalEntry
            dev.flowpubsub.spi.SignalLog
            dev.flowpubsub.spi.SignalRead
            dev.flowpubsub.spi.SignalSnapshot
            dev.flowpubsub.spi.Transport
            dev.flowpubsub.spi.TransportContext
            dev.flowpubsub.spi.TransportEnvelope
            dev.flowpubsub.spi.TransportHealth

            dev.flowpubsub.redis.RedisTransport
            dev.flowpubsub.redis.RedisTransport$Builder
            dev.flowpubsub.postgres.PostgresTransport
            dev.flowpubsub.postgres.PostgresTransport$Builder

            dev.flowpubsub.spring.PubSubAutoConfiguration
            dev.flowpubsub.spring.PubSubProperties
            dev.flowpubsub.spring.PubSubProperties$History
            dev.flowpubsub.spring.PubSubProperties$Presence
            dev.flowpubsub.spring.PubSubProperties$Push
            dev.flowpubsub.spring.PubSubProperties$SendBudget
            dev.flowpubsub.spring.PubSubRedisProperties
            dev.flowpubsub.spring.PubSubPostgresProperties
            dev.flowpubsub.spring.PubSubHubBuilderCustomizer
            dev.flowpubsub.spring.RedisTransportBuilderCustomizer
            dev.flowpubsub.spring.PostgresTransportBuilderCustomizer
            dev.flowpubsub.spring.health.PubSubHealthContributorAutoConfiguration
            dev.flowpubsub.spring.health.PubSubHealthIndicator
            dev.flowpubsub.spring.health.PubSubTransportHealthIndicator
            dev.flowpubsub.spring.metrics.PubSubMetricsAutoConfiguration
            """.strip().split("\\s+"));

    @Test
    void everyPublicType_isApi_orInAPackageLabelledNotApi() throws IOException {
        Set<String> unlisted = new TreeSet<>();
        Set<String> found = new TreeSet<>();
        for (Class<?> type : publicTypes()) {
            String packageName = type.getPackageName();
            if (LABELLED.contains(packageName)) {
                continue;
            }
            found.add(type.getName());
            if (!API.contains(type.getName())) {
                unlisted.add(type.getName());
            }
        }
        assertThat(unlisted).as("public types neither listed as API nor in a package labelled not API").isEmpty();
        assertThat(API).as("listed types that are no longer public (take them off the list)")
                .allMatch(found::contains);
    }

    @Test
    void thePackagesLabelledNotApi_sayItInTheirJavadoc() throws IOException {
        for (String label : LABELLED) {
            Path info = Path.of("../pubsub/src/main/java", label.replace('.', '/'), "package-info.java");
            String javadoc = Files.readString(info).replaceAll("\\s*\\n\\s*\\*\\s*", " ");
            assertThat(javadoc).as(label).containsIgnoringCase("not API").contains("in any release");
        }
    }

    private static List<Class<?>> publicTypes() throws IOException {
        List<Class<?>> types = new ArrayList<>();
        for (Path root : SOURCES) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
                    name = name.substring(0, name.length() - ".java".length());
                    if (!name.endsWith("package-info")) {
                        addPublic(load(name), types);
                    }
                }
            }
        }
        return types;
    }

    private static void addPublic(Class<?> type, List<Class<?>> into) {
        if (!Modifier.isPublic(type.getModifiers())) {
            return;
        }
        into.add(type);
        for (Class<?> member : type.getDeclaredClasses()) {
            addPublic(member, into);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, PublicTypesTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError("not on the test classpath: " + name, e);
        }
    }
}
