package dev.flowpubsub;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Messages as JSON: what round-trips, what is refused at encode, what is refused at decode. */
class JsonCodecTest {

    record Point(int x, int y) {
    }

    record Drawing(String name, List<Point> points, Color color) {
    }

    enum Color { RED, GREEN }

    record Secret(String value) {
    }

    private final JsonCodec codec = JsonCodec.allowing(Drawing.class, Point.class, Color.class);

    private Object roundTrip(Object message) {
        return codec.decode(codec.encode(message));
    }

    @Test
    void builtInTypes_roundTripAsTheirOwnType() {
        for (Object message : List.of("text", 42, 42L, (short) 4, (byte) 2, 1.5d, 2.5f, true, 'c',
                new BigDecimal("12345678901234567890.123"), new BigInteger("123456789012345678901234567890"),
                Double.NaN, "emoji \uD83D\uDE00 and \"quotes\"")) {
            assertThat(roundTrip(message)).isEqualTo(message).hasSameClassAs(message);
        }
    }

    @Test
    void allowedRecordsAndEnums_roundTrip_withNestedFieldsByTheirDeclaredTypes() {
        Drawing drawing = new Drawing("box", List.of(new Point(0, 0), new Point(3, 4)), Color.GREEN);

        assertThat(roundTrip(drawing)).isEqualTo(drawing);
        assertThat(roundTrip(Color.RED)).isEqualTo(Color.RED);
    }

    @Test
    void collectionsAndMaps_roundTripWithTheirElementsTypes() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("point", new Point(1, 2));
        map.put("n", 3L);
        map.put("nothing", null);

        assertThat(roundTrip(List.of(1, "two", new Point(3, 3)))).isEqualTo(List.of(1, "two", new Point(3, 3)));
        assertThat(roundTrip(Set.of("a"))).isEqualTo(Set.of("a"));
        assertThat(roundTrip(map)).isEqualTo(map);
    }

    @Test
    void typeNotAllowed_isRefusedAtEncode_namingItAndTheFix() {
        assertThatThrownBy(() -> codec.encode(new Secret("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Secret.class.getName())
                .hasMessageContaining("JsonCodec.allowing(Secret.class)");
        assertThatThrownBy(() -> codec.encode(List.of(new Secret("nested"))))
                .hasMessageContaining("it contains a " + Secret.class.getName());
        assertThatThrownBy(() -> codec.encode(Map.of(1, "x"))).hasMessageContaining("only String keys");
        assertThatThrownBy(() -> codec.encode(new Object())).hasMessageContaining("java.lang.Object");
    }

    @Test
    void decodingNeverBuildsAClassNamedByTheBytes() {
        byte[] gadget = ("{\"t\":\"" + Secret.class.getName() + "\",\"v\":{\"value\":\"x\"}}").getBytes(StandardCharsets.UTF_8);
        byte[] jdkClass = "{\"t\":\"java.net.URL\",\"v\":\"http://example.com\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode(gadget)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not allowed");
        assertThatThrownBy(() -> codec.decode(jdkClass)).hasMessageContaining("is not allowed");
    }

    @Test
    void malformedPayloads_areRefusedWithTheReason() {
        for (String payload : List.of("not json", "", "null", "[1,2]", "{\"t\":\"int\",\"v\":\"forty-two\"}",
                "{\"t\":\"boolean\",\"v\":\"yes\"}", "{\"v\":1}", "{\"t\":\"list\",\"v\":{}}",
                "{\"t\":\"" + Point.class.getName() + "\",\"v\":{\"x\":\"not a number\"}}")) {
            assertThatThrownBy(() -> codec.decode(payload.getBytes(StandardCharsets.UTF_8)))
                    .as(payload).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void allowingAbstractTypes_isRefused() {
        assertThatThrownBy(() -> JsonCodec.allowing(Runnable.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concrete classes");
        assertThatThrownBy(() -> JsonCodec.allowing(Number.class)).hasMessageContaining("concrete classes");
    }
}
