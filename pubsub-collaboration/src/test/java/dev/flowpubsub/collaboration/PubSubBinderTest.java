package dev.flowpubsub.collaboration;

import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.dom.DomEvent;
import dev.flowpubsub.PubSubAccessDeniedException;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.TopicAuthorizer;
import dev.flowpubsub.testing.InMemoryEngine;
import dev.flowpubsub.testing.InMemoryTransport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.JsonNodeFactory;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;

import static com.github.mvysny.kaributesting.v10.ElementUtilsKt._fireDomEvent;
import static com.github.mvysny.kaributesting.v10.HasValueUtilsKt._setValue;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A ticket edited by several people at once, on one server and on two. */
class PubSubBinderTest {

    private static final UserInfo ANN = UserInfo.of("ann", "Ann");
    private static final UserInfo BOB = UserInfo.of("bob", "Bob");

    @RegisterExtension
    final Servers servers = new Servers();

    private TestServer server(TestServer server) {
        return servers.add(server);
    }

    @BeforeEach
    void emptyStore() {
        TicketTestView.STORE.clear();
    }

    private static TicketTestView form() {
        return _get(TicketTestView.class);
    }

    /** What the form shows, field by field. */
    private static List<Object> shown() {
        TicketTestView form = form();
        return java.util.Arrays.asList(form.title.getValue(), form.estimate.getValue(), form.due.getValue(),
                form.status.getValue(), form.urgent.getValue());
    }

    /** The user types into a field and leaves it, as a browser reports it: focus, the new value, blur. */
    private static <V> void edit(Function<TicketTestView, HasValue<?, V>> field, V value) {
        enter(field);
        type(field, value);
        leave(field);
    }

    private static void enter(Function<TicketTestView, ? extends HasValue<?, ?>> field) {
        var element = ((com.vaadin.flow.component.Component) field.apply(form())).getElement();
        _fireDomEvent(element, new DomEvent(element, "focus", JsonNodeFactory.instance.objectNode()));
    }

    private static <V> void type(Function<TicketTestView, HasValue<?, V>> field, V value) {
        _setValue(field.apply(form()), value);
    }

    private static void leave(Function<TicketTestView, ? extends HasValue<?, ?>> field) {
        var element = ((com.vaadin.flow.component.Component) field.apply(form())).getElement();
        _fireDomEvent(element, new DomEvent(element, "blur", JsonNodeFactory.instance.objectNode()));
    }

    @Test
    void theFirstEditorSeedsFromItsBean_andALaterEditorGetsTheSharedValues_notItsOwnBean() {
        TestServer server = server(new TestServer());
        TicketTestView.STORE.put("1", new Ticket("Printer on fire", 2.0, LocalDate.of(2026, 12, 24),
                Ticket.Status.IN_PROGRESS, true));
        try (Visitor ann = new Visitor(server, ANN, "ticket/1")) {
            assertThat(ann.sees(PubSubBinderTest::shown)).containsExactly("Printer on fire", 2.0,
                    LocalDate.of(2026, 12, 24), Ticket.Status.IN_PROGRESS, true);
            ann.does(() -> edit(form -> form.title, "Printer on fire, again"));

            // Bob's page loaded the ticket as saved, without Ann's edit: the shared values win
            try (Visitor bob = new Visitor(server, BOB, "ticket/1")) {
                assertThat(bob.sees(PubSubBinderTest::shown)).containsExactly("Printer on fire, again", 2.0,
                        LocalDate.of(2026, 12, 24), Ticket.Status.IN_PROGRESS, true);
            }
        }
    }

    @Test
    void eachFieldKind_editedOnOnePage_showsOnTheOther() {
        TestServer server = server(new TestServer());
        try (Visitor ann = new Visitor(server, ANN, "ticket/2"); Visitor bob = new Visitor(server, BOB, "ticket/2")) {
            ann.does(() -> {
                edit(form -> form.title, "Renamed");
                edit(form -> form.estimate, 8.5);
                edit(form -> form.due, LocalDate.of(2027, 1, 15));
                edit(form -> form.status, Ticket.Status.DONE);
                edit(form -> form.urgent, true);
            });

            assertThat(bob.sees(PubSubBinderTest::shown)).containsExactly("Renamed", 8.5, LocalDate.of(2027, 1, 15),
                    Ticket.Status.DONE, true);
            bob.does(() -> edit(form -> form.estimate, null));
            assertThat(ann.sees(PubSubBinderTest::shown).get(1)).isNull();
        }
    }

    @Test
    void aRemoteValue_neverResetsAFieldTheUserIsIn_andShowsWhenTheyLeaveIt() {
        TestServer server = server(new TestServer());
        try (Visitor ann = new Visitor(server, ANN, "ticket/3"); Visitor bob = new Visitor(server, BOB, "ticket/3")) {
            bob.does(() -> enter(form -> form.title));

            ann.does(() -> edit(form -> form.title, "Ann's title"));

            assertThat(bob.sees(() -> form().title.getValue())).isEqualTo("Ticket 3");
            bob.does(() -> leave(form -> form.title));
            assertThat(bob.sees(() -> form().title.getValue())).isEqualTo("Ann's title");
        }
    }

    @Test
    void twoEditorsOfOneField_theLastWriteWins_onBoth_evenWhenTheLaterWasTypedDuringTheOther() {
        TestServer server = server(new TestServer());
        try (Visitor ann = new Visitor(server, ANN, "ticket/4"); Visitor bob = new Visitor(server, BOB, "ticket/4")) {
            bob.does(() -> enter(form -> form.title));
            ann.does(() -> edit(form -> form.title, "Ann's"));
            bob.does(() -> {
                type(form -> form.title, "Bob's, typed while Ann wrote");
                leave(form -> form.title);
            });

            assertThat(bob.sees(() -> form().title.getValue())).isEqualTo("Bob's, typed while Ann wrote");
            assertThat(ann.sees(() -> form().title.getValue())).isEqualTo("Bob's, typed while Ann wrote");
        }
    }

    @Test
    void aFieldShowsWhoElseIsInIt_untilTheyLeaveItOrClosePage() {
        TestServer server = server(new TestServer());
        try (Visitor ann = new Visitor(server, ANN, "ticket/5")) {
            Visitor bob = new Visitor(server, BOB, "ticket/5");
            bob.does(() -> enter(form -> form.title));
            assertThat(ann.sees(() -> form().binder.getEditors(form().title))).containsExactly(BOB);
            assertThat(ann.sees(() -> form().binder.getEditors(form().due))).isEmpty();
            assertThat(bob.sees(() -> form().binder.getEditors(form().title))).isEmpty(); // not themselves

            bob.does(() -> leave(form -> form.title));
            assertThat(ann.sees(() -> form().binder.getEditors(form().title))).isEmpty();

            bob.does(() -> enter(form -> form.due));
            assertThat(ann.sees(() -> form().binder.getEditors(form().due))).containsExactly(BOB);
            bob.leave();
            assertThat(ann.sees(() -> form().binder.getEditors(form().due))).isEmpty();
        }
    }

    @Test
    void editsOnTwoServers_showOnBoth_withTheEditorsMarker() {
        InMemoryTransport.Bus bus = new InMemoryTransport.Bus(InMemoryEngine.threaded());
        TestServer a = server(TestServer.onNode(bus, "a"));
        TestServer b = server(TestServer.onNode(bus, "b"));
        try (Visitor ann = new Visitor(a, ANN, "ticket/6"); Visitor bob = new Visitor(b, BOB, "ticket/6")) {
            ann.does(() -> {
                edit(form -> form.title, "From server a");
                enter(form -> form.status);
            });
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(bob.sees(() -> form().title.getValue())).isEqualTo("From server a");
                assertThat(bob.sees(() -> form().binder.getEditors(form().status))).containsExactly(ANN);
            });
            bob.does(() -> edit(form -> form.urgent, true));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(ann.sees(() -> form().urgent.getValue())).isTrue());
        }
    }

    @Test
    void anItemsSharedValues_expireAfterItsLastEditorLeaves_andTheNextEditorSeedsAgain() {
        TestServer server = server(new TestServer());
        try (Visitor ann = new Visitor(server, ANN, "ticket/7")) {
            ann.does(() -> form().binder.setExpiration(Duration.ofMillis(50)));
            ann.does(() -> edit(form -> form.title, "Not saved"));
            ann.does(() -> UI.getCurrent().navigate("room/general"));
        }
        PubSubHub hub = PubSubHub.get(server.getService());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(hub.signals().map("ticket/7", String.class).peekConfirmed()).isEmpty());
        try (Visitor bob = new Visitor(server, BOB, "ticket/7")) {
            assertThat(bob.sees(() -> form().title.getValue())).isEqualTo("Ticket 7");
        }
    }

    @Test
    void anItemTheAuthorizerRefuses_isNotOpened_andSaysWhy() {
        TopicAuthorizer onlyOwnTickets = (ui, action, topic) -> topic == null || !topic.startsWith("ticket/secret");
        TestServer server = server(new TestServer(builder -> builder.authorizer(onlyOwnTickets)));
        try (Visitor ann = new Visitor(server, ANN, "ticket/8")) {
            assertThatThrownBy(() -> ann.does(() -> form().binder.setTopic("ticket/secret", Ticket::new)))
                    .isInstanceOf(PubSubAccessDeniedException.class).hasMessageContaining("ticket/secret");
            assertThat(ann.sees(() -> PubSubHub.current().presence("ticket/secret"))).isEmpty();
        }
    }

    @Test
    void aFieldWithNoNameOrNoKnownType_isRefusedWhenTheItemOpens_sayingWhatToDo() {
        TestServer server = server(new TestServer());
        try (Visitor ann = new Visitor(server, ANN, "ticket/9")) {
            ann.does(() -> {
                PubSubBinder<Ticket> binder = new PubSubBinder<>(Ticket.class, form(), ANN);
                TextField unnamed = new TextField();
                binder.forField(unnamed).bind(Ticket::getTitle, Ticket::setTitle);
                form().add(unnamed);
                assertThatThrownBy(() -> binder.setTopic("ticket/9b", Ticket::new))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("setId");
                unnamed.setId("title-copy");
                binder.setTopic("ticket/9b", Ticket::new);
                assertThat(PubSubHub.current().signals().map("ticket/9b", String.class).peek())
                        .containsKey("title-copy");
            });
        }
    }

    @Test
    void aFieldBoundThroughAConverter_isRefusedWhenTheItemOpens_sayingToUseShareAs() {
        TestServer server = server(new TestServer());
        try (Visitor ann = new Visitor(server, ANN, "ticket/10")) {
            ann.does(() -> {
                PubSubBinder<Ticket> binder = new PubSubBinder<>(Ticket.class, form(), ANN);
                com.vaadin.flow.component.combobox.ComboBox<String> estimate =
                        new com.vaadin.flow.component.combobox.ComboBox<>("Estimate", "1.0", "2.0");
                binder.forField(estimate).withConverter(Double::valueOf, String::valueOf).bind("estimate");
                form().add(estimate);
                assertThatThrownBy(() -> binder.setTopic("ticket/10b", () -> TicketTestView.STORE
                        .computeIfAbsent("10b", key -> new Ticket("t", 1.0, null, Ticket.Status.OPEN, false))))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shareAs");
            });
        }
    }

    @Test
    void aFieldAddedAfterTheItemWasSeeded_isSeededByTheNextEditor() {
        TestServer server = server(new TestServer());
        try (Visitor ann = new Visitor(server, ANN, "ticket/11")) {
            ann.does(() -> {
                PubSubBinder<Ticket> older = new PubSubBinder<>(Ticket.class, form(), ANN);
                TextField title = new TextField();
                older.forField(title).bind("title");
                form().add(title);
                older.setTopic("ticket/11b", () -> new Ticket("seeded", 3.0, null, Ticket.Status.OPEN, false));
                assertThat(PubSubHub.current().signals().map("ticket/11b", String.class).peek())
                        .containsOnlyKeys("title", ItemExpiry.KEY);

                PubSubBinder<Ticket> newer = new PubSubBinder<>(Ticket.class, form(), ANN);
                TextField title2 = new TextField();
                com.vaadin.flow.component.textfield.NumberField estimate =
                        new com.vaadin.flow.component.textfield.NumberField();
                newer.forField(title2).bind("title");
                newer.forField(estimate).bind("estimate");
                form().add(title2, estimate);
                newer.setTopic("ticket/11b", () -> new Ticket("not this", 4.0, null, Ticket.Status.OPEN, false));
                assertThat(PubSubHub.current().signals().map("ticket/11b", String.class).peek())
                        .containsOnlyKeys("title", "estimate", ItemExpiry.KEY);
                assertThat(title2.getValue()).isEqualTo("seeded");
            });
        }
    }

    @Test
    void readBeanAndSetBean_areRefused_sinceTheFieldsShowTheSharedValues() {
        TestServer server = server(new TestServer());
        try (Visitor ann = new Visitor(server, ANN, "ticket/12")) {
            ann.does(() -> {
                assertThatThrownBy(() -> form().binder.readBean(new Ticket()))
                        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("setTopic");
                assertThatThrownBy(() -> form().binder.setBean(new Ticket()))
                        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("setTopic");
            });
        }
    }

    @Test
    void aFieldEditTheHubRefuses_isShownToTheUserAsNotShared() {
        // a budget of two writes: the seed, then "one"; "two" and "three" are refused, each told
        TestServer server = server(new TestServer(builder -> builder.sendBudget(0.001, 2)));
        try (Visitor ann = new Visitor(server, ANN, "ticket/13")) {
            ann.does(() -> edit(form -> form.title, "one"));
            ann.does(() -> edit(form -> form.title, "two"));
            ann.does(() -> edit(form -> form.title, "three"));

            assertThat(ann.sees(() -> com.github.mvysny.kaributesting.v10.NotificationsKt.getNotifications().stream()
                    .map(notification -> notification.getElement().getProperty("text", "")).toList()))
                    .hasSize(2).allSatisfy(told -> assertThat(told).contains("not shared"));
            assertThat(PubSubHub.get(server.getService()).signals().map("ticket/13", String.class).peek()
                    .get("title").peek()).isEqualTo("=one");
        }
    }

    @Test
    void aFocusedEditor_whoseSharedValueWentBackToWhatTheySee_keepsItWhenLeavingTheField() {
        TestServer server = server(new TestServer());
        try (Visitor ann = new Visitor(server, ANN, "ticket/14"); Visitor bob = new Visitor(server, BOB, "ticket/14")) {
            bob.does(() -> enter(form -> form.title));
            ann.does(() -> edit(form -> form.title, "B"));
            assertThat(bob.sees(() -> form().title.getValue())).isEqualTo("Ticket 14"); // "B" held while he is in it
            ann.does(() -> edit(form -> form.title, "Ticket 14")); // back to what Bob sees

            bob.does(() -> leave(form -> form.title));

            assertThat(bob.sees(() -> form().title.getValue())).isEqualTo("Ticket 14");
        }
    }

    @Test
    void anOlderExpiryCheck_clearsNothing_underAnEditorWhoOpenedAndLeftTheItemSince() {
        TestServer server = server(new TestServer());
        try (Visitor ann = new Visitor(server, ANN, "ticket/15")) {
            ann.does(() -> form().binder.setExpiration(Duration.ofMillis(300)));
            ann.does(() -> UI.getCurrent().navigate("room/general")); // Ann's check runs 300 ms from now
        }
        try (Visitor bob = new Visitor(server, BOB, "ticket/15")) {
            bob.does(() -> form().binder.setExpiration(Duration.ofMinutes(10)));
            bob.does(() -> edit(form -> form.title, "Bob's, unsaved"));
            bob.does(() -> UI.getCurrent().navigate("room/general")); // Bob's runs in ten minutes
        }
        PubSubHub hub = PubSubHub.get(server.getService());
        // past Ann's check, nobody is present, yet Bob left only now: his edit stays
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).until(
                () -> hub.signals().map("ticket/15", String.class).peekConfirmed().containsKey("title"));
    }

    @Test
    void aBindingRemoved_isNotSharedAnyMore() {
        TestServer server = server(new TestServer());
        try (Visitor ann = new Visitor(server, ANN, "ticket/16")) {
            ann.does(() -> {
                PubSubBinder<Ticket> binder = new PubSubBinder<>(Ticket.class, form(), ANN);
                TextField title = new TextField();
                com.vaadin.flow.component.checkbox.Checkbox urgent = new com.vaadin.flow.component.checkbox.Checkbox();
                binder.forField(title).bind("title");
                binder.forField(urgent).bind("urgent");
                binder.removeBinding(title);
                form().add(title, urgent);
                binder.setTopic("ticket/16b", () -> new Ticket("t", 1.0, null, Ticket.Status.OPEN, true));
                assertThat(PubSubHub.current().signals().map("ticket/16b", String.class).peek())
                        .containsOnlyKeys("urgent", ItemExpiry.KEY);
            });
        }
    }

    @Test
    void aConverterFieldTheSeedLeftEmpty_isRefusedAtItsFirstEdit_sayingToUseShareAs() {
        TestServer server = server(new TestServer());
        try (Visitor ann = new Visitor(server, ANN, "ticket/17")) {
            ann.does(() -> {
                PubSubBinder<Ticket> binder = new PubSubBinder<>(Ticket.class, form(), ANN);
                com.vaadin.flow.component.combobox.ComboBox<String> status =
                        new com.vaadin.flow.component.combobox.ComboBox<>("Status", "OPEN", "DONE");
                binder.forField(status)
                        .withConverter(text -> text == null ? null : Ticket.Status.valueOf(text),
                                value -> value == null ? null : value.name())
                        .bind("status");
                form().add(status);
                binder.setTopic("ticket/17b", () -> new Ticket("t", 1.0, null, null, false));
                // Karibu calls the value-change listeners reflectively: the refusal is the cause of what it throws
                assertThatThrownBy(() -> _setValue(status, "DONE")).rootCause().hasMessageContaining("shareAs");
            });
        }
    }

    @Test
    void twoServersWritingOneFieldAtOnce_endWithTheSameValue_onBoth() {
        InMemoryEngine engine = InMemoryEngine.threaded();
        InMemoryTransport.Bus bus = new InMemoryTransport.Bus(engine);
        TestServer a = server(TestServer.onNode(bus, "a"));
        TestServer b = server(TestServer.onNode(bus, "b"));
        try (Visitor ann = new Visitor(a, ANN, "ticket/18"); Visitor bob = new Visitor(b, BOB, "ticket/18")) {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(bob.sees(() -> form().title.getValue())).isEqualTo("Ticket 18"));
            // neither server hears the engine while both write: each sees its own write first
            engine.delayReader("a");
            engine.delayReader("b");
            ann.does(() -> edit(form -> form.title, "Ann's"));
            bob.does(() -> edit(form -> form.title, "Bob's"));
            engine.releaseReader("a");
            engine.releaseReader("b");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String onA = ann.sees(() -> form().title.getValue());
                assertThat(onA).isIn("Ann's", "Bob's");
                assertThat(bob.sees(() -> form().title.getValue())).isEqualTo(onA);
            });
        }
    }

    @Test
    void anItemSomeoneStillHasOpen_isNotCleared_whenAnotherEditorLeaves() {
        TestServer server = server(new TestServer());
        try (Visitor bob = new Visitor(server, BOB, "ticket/19")) {
            try (Visitor ann = new Visitor(server, ANN, "ticket/19")) {
                ann.does(() -> form().binder.setExpiration(Duration.ofMillis(50)));
                ann.does(() -> edit(form -> form.title, "Still being edited"));
            }
            PubSubHub hub = PubSubHub.get(server.getService());
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(
                    () -> hub.signals().map("ticket/19", String.class).peekConfirmed().containsKey("title"));
            assertThat(bob.sees(() -> form().title.getValue())).isEqualTo("Still being edited");
        }
    }

    @Test
    void aFieldSharedAs_theApplicationsText_isWrittenAndReadBackThroughIt() {
        TestServer server = server(new TestServer());
        try (Visitor ann = new Visitor(server, ANN, "ticket/20"); Visitor bob = new Visitor(server, BOB, "ticket/20")) {
            for (Visitor visitor : List.of(ann, bob)) {
                visitor.does(() -> {
                    PubSubBinder<Ticket> binder = new PubSubBinder<>(Ticket.class, form(), visitor == ann ? ANN : BOB);
                    com.vaadin.flow.component.combobox.ComboBox<Ticket.Status> status =
                            new com.vaadin.flow.component.combobox.ComboBox<>("Status (as a letter)",
                                    Ticket.Status.values());
                    status.setId("status-letter");
                    binder.forField(status).bind("status");
                    // the application's own text: the status's first letter
                    binder.shareAs(status, value -> value.name().substring(0, 1), letter -> java.util.Arrays
                            .stream(Ticket.Status.values()).filter(each -> each.name().startsWith(letter))
                            .findFirst().orElseThrow());
                    form().add(status);
                    binder.setTopic("ticket/20b", () -> new Ticket("t", 1.0, null, Ticket.Status.OPEN, false));
                });
            }
            ann.does(() -> _setValue(letterStatus(), Ticket.Status.DONE));

            assertThat(PubSubHub.get(server.getService()).signals().map("ticket/20b", String.class).peek()
                    .get("status").peek()).isEqualTo("=D");
            assertThat(bob.sees(() -> letterStatus().getValue())).isEqualTo(Ticket.Status.DONE);
        }
    }

    @SuppressWarnings("unchecked")
    private static com.vaadin.flow.component.combobox.ComboBox<Ticket.Status> letterStatus() {
        return (com.vaadin.flow.component.combobox.ComboBox<Ticket.Status>) form().getChildren()
                .filter(child -> child.getId().filter("status-letter"::equals).isPresent()).findFirst().orElseThrow();
    }
}
