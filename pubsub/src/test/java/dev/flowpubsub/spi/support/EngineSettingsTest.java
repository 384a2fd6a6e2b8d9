package dev.flowpubsub.spi.support;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The settings every engine transport's builder shares: defaults, one setting changed at a time, the checks. */
class EngineSettingsTest {

    @Test
    void defaults_areTheDocumentedOnes() {
        EngineSettings defaults = EngineSettings.DEFAULTS;

        assertThat(defaults.retention()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.maxLength()).isEqualTo(100_000);
        assertThat(defaults.historyRetention()).isEqualTo(Duration.ofDays(1));
        assertThat(defaults.outboxCapacity()).isEqualTo(50_000);
        assertThat(defaults.outboxMaxBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(defaults.commandTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void eachWith_changesItsSettingOnly() {
        EngineSettings changed = EngineSettings.DEFAULTS
                .withRetention(Duration.ofMinutes(1))
                .withMaxLength(10)
                .withHistoryRetention(Duration.ofHours(2))
                .withOutboxCapacity(3)
                .withOutboxMaxBytes(4_096)
                .withCommandTimeout(Duration.ofSeconds(2), Duration.ofMillis(100));

        assertThat(changed).isEqualTo(new EngineSettings(Duration.ofMinutes(1), 10, Duration.ofHours(2), 3, 4_096,
                Duration.ofSeconds(2)));
        assertThat(EngineSettings.DEFAULTS.withMaxLength(7))
                .isEqualTo(new EngineSettings(EngineSettings.DEFAULT_RETENTION, 7,
                        EngineSettings.DEFAULT_HISTORY_RETENTION, EngineSettings.DEFAULT_OUTBOX_CAPACITY,
                        EngineSettings.DEFAULT_OUTBOX_MAX_BYTES, EngineSettings.DEFAULT_COMMAND_TIMEOUT));
    }

    @Test
    @SuppressWarnings("NullAway") // passes null on purpose, as a caller without nullness checks could
    void badValues_areRefused_sayingWhichWhatIsAllowedAndWhatWasGiven() {
        EngineSettings settings = EngineSettings.DEFAULTS;

        assertThatThrownBy(() -> settings.withRetention(Duration.ofMillis(500))).isInstanceOf(
                IllegalArgumentException.class).hasMessage("retention must be at least 1 second (got PT0.5S)");
        assertThatThrownBy(() -> settings.withHistoryRetention(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("historyRetention must not be null");
        assertThatThrownBy(() -> settings.withMaxLength(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLength must be at least 1 (got 0)");
        assertThatThrownBy(() -> settings.withOutboxCapacity(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("outboxCapacity must be at least 1 (got -1)");
        assertThatThrownBy(() -> settings.withOutboxMaxBytes(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("outboxMaxBytes must be at least 1 (got 0)");
        assertThatThrownBy(() -> settings.withCommandTimeout(Duration.ZERO, Duration.ofMillis(1))).isInstanceOf(
                IllegalArgumentException.class).hasMessage("commandTimeout must be at least 1 ms (got PT0S)");
    }

    @Test
    void anEngine_mayAskForALongerShortestCommandTimeout() {
        assertThat(EngineSettings.DEFAULTS.withCommandTimeout(Duration.ofMillis(5), Duration.ofMillis(1))
                .commandTimeout()).isEqualTo(Duration.ofMillis(5));
        assertThatThrownBy(() -> EngineSettings.DEFAULTS.withCommandTimeout(Duration.ofMillis(50),
                Duration.ofMillis(100))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("commandTimeout must be at least 100 ms (got PT0.05S)");
    }
}
