package dev.flowpubsub;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.annotation.JsonDeserialize;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Messages as JSON: what round-trips, what is refused at encode, what is refused at decode. */
class JsonCodecTest {

    record Point(int x, int y) {
    }

    record Drawing(String name, List<Point> points, Color color) {
    }

    enum Color { RED, GREEN }

    record Secret(String value) {
    }

    /** Allowed alone, it would let the bytes build a {@link Secret}, which nobody allowed. */
    record Envelope(String from, Secret secret) {
    }

    /** Allowed alone, it would let the bytes name the class of its reading. */
    record Meter(String unit, @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Number reading) {
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

    @Test
    void hostilePayload_cannotMakeAnAllowedRecordBuildAClassThatIsNotAllowed() {
        String throughAComponent = tagged(Envelope.class, "{\"from\":\"eve\",\"secret\":{\"value\":\"built\"}}");
        String throughATypeId = tagged(Meter.class,
                "{\"unit\":\"ms\",\"reading\":[\"java.util.concurrent.atomic.AtomicLong\",5]}");

        assertThat(outcome(Envelope.class, throughAComponent)).isInstanceOf(IllegalArgumentException.class);
        assertThat(outcome(Meter.class, throughATypeId)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.decode(bytes(throughAComponent))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not allowed");
        assertThatThrownBy(() -> codec.decode(bytes(throughATypeId))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not allowed");
    }

    /** What a node allowing only {@code type} makes of the payload: what it built, or its refusal. */
    private static Object outcome(Class<?> type, String payload) {
        try {
            return JsonCodec.allowing(type).decode(bytes(payload));
        } catch (IllegalArgumentException refused) {
            return refused;
        }
    }

    @Test
    void allowingARecordWhoseComponentIsARecordNotAllowed_isRefused_namingTheComponentAndTheFix() {
        assertThatThrownBy(() -> JsonCodec.allowing(Envelope.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot allow " + Envelope.class.getName())
                .hasMessageContaining("component 'secret'")
                .hasMessageContaining("allow " + Secret.class.getName() + " too");
        assertThat(JsonCodec.allowing(Envelope.class, Secret.class).allowedTypes()).contains(Envelope.class, Secret.class);
    }

    static final class Plain {
        public String name;
    }

    record Anything(Object value) {
    }

    record Text(CharSequence text) {
    }

    record Amount(Number value) {
    }

    @SuppressWarnings("rawtypes")
    record RawList(List points) {
    }

    record Wildcard(List<? extends Point> points) {
    }

    record IntKeys(Map<Integer, Point> byId) {
    }

    record Box<T>(T value) {
    }

    @SuppressWarnings("ArrayRecordComponent") // a shape the codec must refuse
    record PointArray(Point[] points) {
    }

    record ConcreteList(ArrayList<Point> points) {
    }

    record Wrapped(Optional<Map<String, Plain>> plain) {
    }

    @Test
    void allowingAShapeWithAnOpenOrUncheckedPart_isRefused_namingTheComponentAndTheFix() {
        Map<Class<?>, String> componentByType = Map.of(Anything.class, "value", Text.class, "text",
                Amount.class, "value", RawList.class, "points", Wildcard.class, "points", IntKeys.class, "byId",
                Box.class, "value", PointArray.class, "points", ConcreteList.class, "points", Wrapped.class, "plain");
        componentByType.forEach((type, component) -> assertThatThrownBy(() -> JsonCodec.allowing(type, Point.class))
                .as(type.getSimpleName()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot allow " + type.getName())
                .hasMessageContaining("component '" + component + "'"));

        assertThatThrownBy(() -> JsonCodec.allowing(Plain.class)).hasMessageContaining("use a record");
        assertThatThrownBy(() -> JsonCodec.allowing(Wrapped.class)).hasMessageContaining("use a record");
        assertThatThrownBy(() -> JsonCodec.allowing(IntKeys.class, Point.class)).hasMessageContaining("Map<String, ...>");
        assertThatThrownBy(() -> JsonCodec.allowing(PointArray.class, Point.class)).hasMessageContaining("List<...>");
        assertThatThrownBy(() -> JsonCodec.allowing(Anything.class)).hasMessageContaining("declare an exact type");
    }

    enum Mood { CALM, ANGRY }

    record Node(String name, List<Node> children) {
    }

    @SuppressWarnings("ArrayRecordComponent") // primitive arrays are among the shapes the codec allows
    record Everything(String text, int count, Long big, double ratio, BigDecimal price, BigInteger huge, char letter,
                      Boolean flag, UUID id, Instant at, LocalDate day, LocalTime time, LocalDateTime when,
                      Duration took, Optional<Point> maybe, Map<String, List<Point>> groups, Set<Mood> moods,
                      Collection<String> tags, int[] counts, byte[] raw, Node tree) {
    }

    @Test
    void closedShapes_areAllowed_andRoundTrip() {
        JsonCodec closed = JsonCodec.allowing(Everything.class, Point.class, Node.class);
        Everything everything = new Everything("t", 1, 2L, 0.5, new BigDecimal("19.99"), BigInteger.TEN, 'x', true,
                UUID.randomUUID(), Instant.now(), LocalDate.of(2026, 11, 30), LocalTime.of(9, 30),
                LocalDateTime.of(2026, 11, 30, 9, 30),
                Duration.ofSeconds(90), Optional.of(new Point(1, 2)), Map.of("g", List.of(new Point(3, 4))),
                Set.of(Mood.CALM), List.of("a", "b"), new int[] {1, 2}, new byte[] {3},
                new Node("root", List.of(new Node("leaf", List.of()))));

        assertThat(closed.decode(closed.encode(everything))).usingRecursiveComparison().isEqualTo(everything);
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
    record Shape(String name) {
    }

    record Labelled(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Point point) {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @JacksonAnnotationsInside
    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
    @interface Polymorphic {
    }

    record Bundled(@Polymorphic Point point) {
    }

    interface HasPoint {
        @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
        Point point();
    }

    record Inherited(Point point) implements HasPoint {
    }

    @JsonSubTypes({})
    enum Level { LOW, HIGH }

    record Leveled(Level level) {
    }

    record Retyped(@JsonDeserialize(contentAs = Point.class) List<Point> points) {
    }

    @Test
    void allowingATypeThatReopensPolymorphicTyping_isRefused_namingTheAnnotation() {
        Map<Class<?>, String> annotationByType = Map.of(Shape.class, "@JsonTypeInfo", Labelled.class, "@JsonTypeInfo",
                Bundled.class, "@JsonTypeInfo", Inherited.class, "@JsonTypeInfo", Leveled.class, "@JsonSubTypes",
                Retyped.class, "@JsonDeserialize", Meter.class, "@JsonTypeInfo");
        annotationByType.forEach((type, annotation) -> assertThatThrownBy(() -> JsonCodec.allowing(type, Point.class))
                .as(type.getSimpleName()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot allow " + type.getName())
                .hasMessageContaining(annotation)
                .hasMessageContaining("remove it"));
    }

    record Made(int x) {
        @JsonCreator
        static Made of(@JsonProperty("secret") Secret secret) {
            return new Made(secret.value().length());
        }
    }

    record CatchAll(int x) {
        @JsonAnySetter
        void other(String name, Secret value) {
        }
    }

    @Test
    void allowingARecordWhoseCreatorOrAnySetterTakesATypeNotAllowed_isRefused() {
        assertThatThrownBy(() -> JsonCodec.allowing(Made.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot allow " + Made.class.getName()).hasMessageContaining("of(")
                .hasMessageContaining("allow " + Secret.class.getName() + " too");
        assertThatThrownBy(() -> JsonCodec.allowing(CatchAll.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("other(").hasMessageContaining("allow " + Secret.class.getName() + " too");
    }

    @Test
    void hugeNumbers_areRefusedBeforeTheyAreBuilt() {
        for (String payload : List.of(scalar("bigint", "9".repeat(1_000_000)), scalar("decimal", "1e999999999"),
                scalar("decimal", "1e-999999999"), scalar("decimal", "0." + "1".repeat(1_000)),
                scalar("double", "1".repeat(1_001)), scalar("long", "1".repeat(1_001)))) {
            assertThatThrownBy(() -> codec.decode(bytes(payload))).as("%.40s", payload)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        }
        assertThatThrownBy(() -> codec.encode(new BigInteger("9".repeat(1_001)))).hasMessageContaining("limit");
        assertThatThrownBy(() -> codec.encode(new BigDecimal("1e5000"))).hasMessageContaining("limit");
        assertThat(roundTrip(new BigDecimal("1e1000"))).isEqualTo(new BigDecimal("1e1000"));
    }

    @Test
    void jacksonsReadLimits_holdEvenWhenTheJvmWideDefaultsAreLoosened() {
        StreamReadConstraints jvmWide = StreamReadConstraints.defaults();
        StreamReadConstraints.overrideDefaultStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(100_000).maxNumberLength(100_000).build());
        try {
            JsonCodec loosened = JsonCodec.allowing(Point.class);
            String deep = "{\"t\":\"list\",\"v\":[".repeat(300) + "null" + "]}".repeat(300);
            String longNumber = tagged(Point.class, "{\"x\":" + "1".repeat(1_001) + ",\"y\":0}");

            assertThatThrownBy(() -> loosened.decode(bytes(deep))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nesting depth");
            assertThatThrownBy(() -> loosened.decode(bytes(longNumber))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Number value length");
        } finally {
            StreamReadConstraints.overrideDefaultStreamReadConstraints(jvmWide);
        }
    }

    @Test
    void refusals_quoteUntrustedTextOnlyAsAShortOneLineExcerpt() {
        String hostile = "line\\n\\r".repeat(12_500); // 100 KB of JSON text, with escaped newlines
        for (String payload : List.of("{\"t\":\"" + hostile + "\",\"v\":1}", scalar("int", hostile.substring(0, 900)),
                scalar("boolean", hostile), tagged(Point.class, "{\"x\":\"" + hostile + "\",\"y\":0}"),
                "nonsense" + "x".repeat(100_000))) {
            Throwable refusal = catchThrowable(() -> codec.decode(bytes(payload)));

            assertThat(refusal).as("%.20s", payload).isInstanceOf(IllegalArgumentException.class);
            for (Throwable t = refusal; t != null; t = t.getCause()) {
                assertThat(t.getMessage()).as("%.20s", payload).hasSizeLessThan(300).doesNotContain("\n", "\r");
            }
        }
    }

    private static String tagged(Class<?> type, String json) {
        return "{\"t\":\"" + type.getName() + "\",\"v\":" + json + "}";
    }

    private static String scalar(String type, String text) {
        return "{\"t\":\"" + type + "\",\"v\":\"" + text + "\"}";
    }

    private static byte[] bytes(String payload) {
        return payload.getBytes(StandardCharsets.UTF_8);
    }

    enum Face {
        HAPPY {
            @Override
            String emoji() {
                return ":)";
            }
        },
        GRUMPY {
            @Override
            String emoji() {
                return ":(";
            }
        };

        abstract String emoji();
    }

    @Test
    void allowedEnumWhoseConstantsHaveBodies_travels() {
        JsonCodec codec = JsonCodec.allowing(Face.class);

        assertThat(codec.decode(codec.encode(Face.GRUMPY))).isEqualTo(Face.GRUMPY);
    }
}
