package dev.flowpubsub.postgres;

import dev.flowpubsub.SourceRules;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The transport's threads block on PostgreSQL: none of them may do so inside a monitor (see {@link SourceRules}). */
class PostgresSourceRulesTest {

    @Test
    void noMonitorIsHeldAroundPostgresIo() {
        assertThat(SourceRules.synchronizedUses(Path.of("src/main/java"), Set.of())).isEmpty();
    }
}
