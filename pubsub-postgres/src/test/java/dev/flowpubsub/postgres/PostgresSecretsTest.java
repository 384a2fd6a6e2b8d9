package dev.flowpubsub.postgres;

import ch.qos.logback.classic.Level;
import dev.flowpubsub.testsupport.LogCapture;
import dev.flowpubsub.testsupport.PostgresServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * No secret of a PostgreSQL URL or password reaches health, {@code toString}, an error message or any line of
 * flow-pubsub's loggers, captured at DEBUG: in whatever form the URL carries it (issue 19, item 4).
 */
@Tag("integration")
class PostgresSecretsTest {

    /** Every secret below contains this; none of its forms may be shown. */
    private static final String SECRET = "s3cret";

    @RegisterExtension
    final PostgresTestbed testbed = new PostgresTestbed();

    @RegisterExtension
    final LogCapture logs = LogCapture.of("dev.flowpubsub", Level.DEBUG);

    private void assertNoSecretLogged() {
        assertThat(logs.lines()).as("flow-pubsub's log lines at DEBUG")
                .noneSatisfy(line -> assertThat(line.text()).containsIgnoringCase(SECRET));
    }

    @Test
    void urlsPgjdbcCannotRead_orWithUserInformation_areRefusedAtTheBuilder_withoutTheirSecrets() {
        List<String> urls = List.of(
                "jdbc:postgresql://127.0.0.1:5432x/postgres?user=postgres&password=s3cretpw",
                "jdbc:postgresql://127.0.0.1:5432x/postgres?sslpassword=s3cretpw",
                "jdbc:postgresql://postgres:s3cret/pw@127.0.0.1:5432/postgres",
                "jdbc:postgresql://postgres:s3cret?pw@127.0.0.1:5432/postgres",
                "jdbc:postgresql://postgres:s3cret@pw@127.0.0.1:5432/postgres",
                "jdbc:postgresql://postgres:s3cret%40pw@127.0.0.1:5432/postgres",
                "jdbc:postgresql://postgres:s3cretpw@127.0.0.1:5432/postgres?user=me@corp");
        for (String url : urls) {
            assertThatThrownBy(() -> PostgresTransport.builder(url).build()).as(url)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("URL")
                    .message().doesNotContainIgnoringCase(SECRET).doesNotContain("pw@");
        }
        assertNoSecretLogged();
    }

    @Test
    void urlsShown_neverHoldUserInformationOrParameters_whateverTheyContain() {
        assertThat(PostgresUrls.display("jdbc:postgresql://db:5432/app?user=app&password=s3cret"))
                .isEqualTo("jdbc:postgresql://db:5432/app");
        assertThat(PostgresUrls.display("jdbc:postgresql://db1:5432,db2:5433/app?sslpassword=s3cret"))
                .isEqualTo("jdbc:postgresql://db1:5432,db2:5433/app");
        for (String url : List.of("jdbc:postgresql://app:s3c/ret@db/app", "jdbc:postgresql://app:s3c?ret@db/app",
                "jdbc:postgresql://app:s3c@ret@db/app", "jdbc:postgresql://app:s3c%2Fret@db/app",
                "jdbc:postgresql://db/app?user=me@corp&password=s3cret", "jdbc:postgresql://db:54x/app?password=s3cret")) {
            assertThat(PostgresUrls.display(url)).as(url).doesNotContain("s3c").doesNotContain("ret@");
        }
    }

    @Test
    void errorTextsQuotingTheUrl_areScrubbedOfEachFormOfItsSecrets() {
        String url = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=s3cret%2Fpw&sslpassword=s3cretkey";
        UnaryOperator<String> redact = PostgresUrls.redactor(url, "s3cretbuilder");

        for (String error : List.of(
                "Unable to parse URL " + url,
                "Connecting with URL: " + url + " failed",
                "password=s3cret/pw was refused",
                "key s3cretkey, password s3cret/pw or s3cret%2Fpw",
                "FATAL: password s3cretbuilder refused",
                "JDBC URL jdbc:postgresql://other:5432/x?password=s3cretother&x=1 and jdbc:postgresql://u:s3cretui@h/d")) {
            assertThat(redact.apply(error)).as(error).doesNotContainIgnoringCase(SECRET);
        }
        assertThat(redact.apply("Unable to parse URL " + url)).isEqualTo("Unable to parse URL "
                + "jdbc:postgresql://127.0.0.1:5432/postgres");
    }

    @Test
    void passwordsGivenOnlyInTheUrl_andWrong_reachNeitherHealthNorToStringNorLogs() {
        try (PostgresServer guarded = PostgresServer.start("right-one")) {
            for (String parameters : List.of("?user=postgres&password=s3cretpw",
                    "?user=postgres&password=s3cret%2Fpw%3F&sslpassword=s3cretkey&sslmode=disable")) {
                PostgresTransport transport = PostgresTransport.builder(guarded.jdbcUrl() + parameters)
                        .commandTimeout(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(100)).build();
                PostgresNode node = testbed.closeLater(new PostgresNode(transport));
                await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(node.hub.transportHealth()
                        .orElseThrow().details().get("lastError")).contains("password authentication failed"));

                assertThat(node.hub.transportHealth().orElseThrow() + " " + transport + " " + node.hub)
                        .doesNotContainIgnoringCase(SECRET);
                node.close();
            }
        }
        assertNoSecretLogged();
    }
}
