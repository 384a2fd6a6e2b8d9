package dev.flowpubsub.postgres;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Configured names reach SQL only as plain identifiers; the DDL is the shipped script with those names. */
class PostgresSchemaTest {

    @Test
    void names_thatAreNotPlainIdentifiers_areRefused_sayingWhatIsAllowed() {
        for (String bad : new String[] {"flow_pubsub; DROP TABLE users", "Chat", "1st", "a-b", "\"quoted\"", "", "x y"}) {
            assertThatThrownBy(() -> new PostgresSchema("public", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("lower-case letters, digits and underscores");
        }
        assertThatThrownBy(() -> new PostgresSchema("s".repeat(64), "t")).hasMessageContaining("at most 63");
        assertThatThrownBy(() -> PostgresTransport.builder("jdbc:postgresql://h/db").table("t".repeat(50)))
                .hasMessageContaining("at most 49");
    }

    @Test
    void ddl_isTheShippedScript_withTheConfiguredNames_evenWhenTheyLookLikeTheDefaults() {
        PostgresSchema schema = new PostgresSchema("flow_pubsub", "public_bus");

        assertThat(schema.ddl()).hasSize(5)
                .anySatisfy(ddl -> assertThat(ddl).startsWith("CREATE SCHEMA IF NOT EXISTS flow_pubsub"))
                .anySatisfy(ddl -> assertThat(ddl).contains("CREATE TABLE IF NOT EXISTS flow_pubsub.public_bus_log ("))
                .anySatisfy(ddl -> assertThat(ddl).contains("CREATE TABLE IF NOT EXISTS flow_pubsub.public_bus_history ("))
                .allSatisfy(ddl -> assertThat(ddl).doesNotContain("public.").doesNotContain("--"));
        assertThat(schema.channel).isEqualTo("flow_pubsub_public_bus");
    }

    @Test
    void notifyChannel_keepsTheEarlierName_whereItFits_andIsAStableShortNameBeyond() {
        assertThat(new PostgresSchema("public", "flow_pubsub").channel).as("what nodes of earlier releases LISTEN to")
                .isEqualTo("public_flow_pubsub");
        String fits = "s".repeat(31) + "_" + "t".repeat(31);
        assertThat(PostgresSchema.channel("s".repeat(31), "t".repeat(31))).isEqualTo(fits).hasSize(63);

        String longest = new PostgresSchema("s".repeat(63), "t".repeat(49)).channel;
        assertThat(longest).hasSize(63).matches("[a-z_][a-z0-9_]*").startsWith("s".repeat(46) + "_")
                .isEqualTo(PostgresSchema.channel("s".repeat(63), "t".repeat(49)));
        assertThat(PostgresSchema.channel("s".repeat(63), "t".repeat(48))).as("another log, another channel")
                .hasSize(63).isNotEqualTo(longest);
    }

    @Test
    void signalTables_areTheirShippedScript_withTheConfiguredNames_withinPostgresLimits_evenAtTheLongest() {
        PostgresSchema schema = new PostgresSchema("bus", "chat");
        SignalTables tables = new SignalTables(schema);
        assertThat(schema.ddl(SignalTables.SCRIPT)).hasSize(5)
                .anySatisfy(ddl -> assertThat(ddl).startsWith("CREATE TABLE IF NOT EXISTS " + tables.head + " ("))
                .anySatisfy(ddl -> assertThat(ddl).startsWith("CREATE TABLE IF NOT EXISTS " + tables.entries + " ("))
                .anySatisfy(ddl -> assertThat(ddl).startsWith("CREATE TABLE IF NOT EXISTS " + tables.snapshots + " ("))
                .allSatisfy(ddl -> assertThat(ddl).doesNotContain("public").doesNotContain("flow_pubsub"));
        assertThat(tables.channel).isEqualTo("bus_chat_signals").isNotEqualTo(schema.channel);

        PostgresSchema longest = new PostgresSchema("s".repeat(63), "t".repeat(49));
        SignalTables longestTables = new SignalTables(longest);
        List<String> names = new ArrayList<>(List.of(longestTables.head, longestTables.entries,
                longestTables.snapshots));
        longest.ddl(SignalTables.SCRIPT).stream().filter(ddl -> ddl.startsWith("CREATE INDEX"))
                .forEach(ddl -> names.add(ddl.substring("CREATE INDEX IF NOT EXISTS ".length(), ddl.indexOf(" ON "))));
        assertThat(names).hasSize(4).allSatisfy(name -> assertThat(name.substring(name.indexOf('.') + 1))
                .hasSizeLessThanOrEqualTo(63).startsWith("t".repeat(49)));
        assertThat(longestTables.channel).hasSize(63).isNotEqualTo(longest.channel);
    }

    @Test
    void logsOfDifferentNames_lockApart() {
        PostgresSchema one = new PostgresSchema("public", "a");
        PostgresSchema other = new PostgresSchema("public", "b");

        assertThat(one.appendLock).isNotEqualTo(other.appendLock);
        assertThat(one.appendLock).isNotEqualTo(one.trimLock).isNotEqualTo(one.ddlLock);
    }

    @Test
    void urlsShown_haveNoCredentials_andErrorsNoPassword() {
        assertThat(PostgresUrls.display("jdbc:postgresql://db:5432/app?user=app&password=s3cret"))
                .isEqualTo("jdbc:postgresql://db:5432/app");
        assertThat(PostgresUrls.display("jdbc:postgresql://app:s3cret@db/app")).doesNotContain("s3cret");
        assertThat(PostgresUrls.redactor(null, "s3cret").apply("FATAL: password s3cret refused"))
                .isEqualTo("FATAL: password **** refused");
        assertThatThrownBy(() -> PostgresTransport.builder("postgres://app:s3cret@db/app"))
                .hasMessageContaining("jdbc:postgresql:").hasMessageNotContaining("s3cret");
    }
}
