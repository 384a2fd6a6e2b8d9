package dev.flowpubsub.collaboration;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a shared field's value is written and read back, and what is refused when read. */
class FieldCodecTest {

    @Test
    void valuesOfEachBuiltInType_andEnums_readBackEqual_andEmptyReadsAsTheFieldsEmptyValue() {
        assertThat(FieldCodec.of(LocalDate.class).read(FieldCodec.of(LocalDate.class).write(LocalDate.of(2027, 1, 2)),
                null)).isEqualTo(LocalDate.of(2027, 1, 2));
        assertThat(FieldCodec.of(Ticket.Status.class).read("=DONE", null)).isEqualTo(Ticket.Status.DONE);
        assertThat(FieldCodec.of(String.class).read("", "")).isEmpty();
        assertThat(FieldCodec.of(BigDecimal.class).read("=12.50", null)).isEqualByComparingTo("12.5");
    }

    @Test
    void aHugeDecimalOrInteger_isRefusedWhenRead_beforeAnyFieldWritesItOut() {
        assertThatThrownBy(() -> FieldCodec.of(BigDecimal.class).read("=1E999999999", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldCodec.of(BigInteger.class).read("=" + "9".repeat(5000), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldCodec.of(BigDecimal.class).read("=" + "1".repeat(1001), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void textThatIsNotAValueOfTheType_isRefused_notGuessed() {
        assertThatThrownBy(() -> FieldCodec.of(Boolean.class).read("=yes", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldCodec.of(Ticket.Status.class).read("=java.lang.Runtime", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldCodec.of(Integer.class).read("raw", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldCodec.of(Object.class)).hasMessageContaining("shareAs");
    }
}
