package dev.flowpubsub.chat;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.dom.ElementEffect;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.signals.Signal;
import com.vaadin.flow.signals.operations.PutIfAbsentResult;
import com.vaadin.flow.signals.operations.SignalOperation;
import com.vaadin.flow.signals.shared.SharedListSignal;
import com.vaadin.flow.signals.shared.SharedListSignal.ListPosition;
import com.vaadin.flow.signals.shared.SharedNodeSignal;
import com.vaadin.flow.signals.shared.SharedNumberSignal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import dev.flowpubsub.ClusterSignals;
import dev.flowpubsub.ComponentPubSub;
import dev.flowpubsub.PresenceEvent;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.PubSubSignalRefusedException;
import dev.flowpubsub.Topic;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A board that everyone edits at once, on every server: a title anyone can change, cards anyone can add, vote for,
 * move up or down and remove, and who is looking. The state is Vaadin's own shared signals, by name from
 * {@link ClusterSignals}, bound with Vaadin's own APIs ({@code bindText}, {@code bindValue}, {@code bindEnabled},
 * {@code ElementEffect.bindChildren}); flow-pubsub puts every write in one order on every server, so two people who
 * vote for, or move, the same card at once end up looking at the same board. Who is looking is flow-pubsub's
 * presence on the board's topic, as in a room.
 *
 * <p>The cards are one list signal of {@link Card}s; each card's vote count is a number in the card's own entry
 * (a child node named {@value #VOTES}, made by its first vote), so a vote is an {@code incrementBy} that adds up the
 * same everywhere, moving a card takes its votes along, and removing it removes them.
 *
 * <p>Threading: built and clicked on the page's request thread; the bindings re-render it inside its own
 * {@code ui.access}, on the hub's executor, when anyone's write is confirmed.
 */
@Route("board")
@PageTitle("Board")
public final class BoardView extends VerticalLayout {

    /** The signals' names and the presence topic: one board for the whole application. */
    static final String TITLE = "board.title";
    static final String CARDS = "board.cards";
    static final Topic<String> LOOKING = Topic.of("board", String.class);
    /** The name of the vote count in a card's entry. */
    static final String VOTES = "votes";
    static final String UNTITLED = "Untitled board";
    /** Adding stops here: every page renders every card. */
    static final int MAX_CARDS = 100;

    /* Fields keep the signals referenced: a name no signal object uses any more is let go on this server. */
    private final SharedValueSignal<String> title;
    private final SharedListSignal<Card> cards;
    private final String name;
    private final TextField newCard = Limits.limited(new TextField(), Limits.MAX_CARD);
    private final HorizontalLayout people = new HorizontalLayout();
    private final Map<String, Span> present = new LinkedHashMap<>();
    /** Shown when a write is refused; one per view, opened again rather than added again (see Limits). */
    private final Notification notSaved = new Notification("That change was not made: you are changing the board "
            + "faster than it allows, or this server cannot reach the others. Try again in a moment.", 3000,
            Notification.Position.MIDDLE);

    public BoardView() {
        ClusterSignals signals = ClusterSignals.current();
        title = signals.value(TITLE, String.class);
        cards = signals.list(CARDS, Card.class);
        String chosen = RoomsView.nameIn(VaadinSession.getCurrent());
        name = chosen == null ? ChatView.DEFAULT_NAME : chosen;

        HorizontalLayout links = new HorizontalLayout(new RouterLink("Back to the chat", ChatView.class),
                new RouterLink("Rooms", RoomsView.class), new Span("You are " + name + "."));
        links.setAlignItems(Alignment.BASELINE);

        H2 heading = new H2();
        heading.bindText(title.map(shown -> shown == null || shown.isBlank() ? UNTITLED : shown));
        TextField rename = Limits.limited(new TextField(), Limits.MAX_TITLE);
        rename.setPlaceholder("Board title");
        rename.bindValue(title.map(shown -> shown == null ? "" : shown),
                typed -> write(() -> title.set(Limits.cut(typed.strip(), Limits.MAX_TITLE))));

        people.addClassName("people");
        HorizontalLayout looking = new HorizontalLayout(new H4("Looking now"), people);
        looking.setAlignItems(Alignment.BASELINE);

        newCard.setPlaceholder("A new card...");
        Button add = new Button("Add card", click -> add());
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add.addClickShortcut(Key.ENTER).listenOn(newCard);
        add.bindEnabled(Signal.computed(() -> cards.get().size() < MAX_CARDS));
        HorizontalLayout adding = new HorizontalLayout(newCard, add);

        VerticalLayout list = new VerticalLayout();
        list.addClassName("cards");
        list.setPadding(false);
        // One component per card, kept while the card is in the list (moved, not rebuilt, when it moves).
        ElementEffect.bindChildren(list.getElement(), cards, entry -> cardOf(entry).getElement());

        notSaved.addClassName("not-saved");
        addClassName("board");
        add(links, heading, rename, looking, adding, list);

        // Present on the board's topic while this view is shown, and following who else is.
        ComponentPubSub page = PubSub.whileAttached(this);
        page.join(LOOKING, name);
        page.subscribePresence(LOOKING, this::presenceChanged);
        addDetachListener(detach -> {
            people.removeAll(); // shown again, the view is told everyone present anew
            present.clear();
        });
    }

    /** One card's row; its bindings follow the card's own entry and its place in the list. */
    private Component cardOf(SharedValueSignal<Card> entry) {
        Span votes = new Span();
        votes.addClassName("votes");
        votes.bindText(Signal.computed(() -> {
            SharedNumberSignal count = votesOf(entry.asNode().get());
            Double value = count == null ? null : count.get();
            return String.valueOf(value == null ? 0 : value.intValue());
        }));
        Span text = new Span();
        text.addClassName("text");
        text.bindText(entry.map(card -> card == null ? "" : card.text()));
        Span author = new Span();
        author.addClassName("author");
        author.getStyle().set("color", "var(--lumo-secondary-text-color)");
        author.bindText(entry.map(card -> card == null ? "" : "by " + card.author()));

        Button vote = new Button("+1", click -> vote(entry));
        Button up = new Button("Up", click -> move(entry, -1));
        up.bindEnabled(Signal.computed(() -> cards.get().indexOf(entry) > 0));
        Button down = new Button("Down", click -> move(entry, 1));
        down.bindEnabled(Signal.computed(() -> {
            List<SharedValueSignal<Card>> all = cards.get();
            int at = all.indexOf(entry);
            return at >= 0 && at < all.size() - 1;
        }));
        Button remove = new Button("Remove", click -> write(() -> cards.remove(entry)));

        HorizontalLayout card = new HorizontalLayout(votes, text, author, vote, up, down, remove);
        card.addClassName("card");
        card.setAlignItems(Alignment.BASELINE);
        return card;
    }

    private void add() {
        String text = Limits.cut(newCard.getValue().strip(), Limits.MAX_CARD);
        if (text.isEmpty() || cards.peek().size() >= MAX_CARDS) {
            return;
        }
        if (write(() -> cards.insertLast(new Card(text, name)))) {
            newCard.clear();
            newCard.focus();
        }
    }

    /**
     * Adds a vote: an increment of the card's count, which adds up the same on every server however many vote at
     * once. A card has no count until its first vote, which makes it with a put-if-absent, also decided the same way
     * everywhere (two first votes at once find one count), and increments it once that is confirmed. Only a confirmed
     * count is incremented at once: a count this page made but is not confirmed yet may lose to one made on another
     * server at the same time, and an increment of the loser would be lost. Not made with the card in one
     * transaction: see DECISIONS.md.
     */
    private void vote(SharedValueSignal<Card> entry) {
        SharedNodeSignal card = entry.asNode();
        SharedNumberSignal count = votesOf(card.peekConfirmed());
        if (count != null) {
            write(() -> count.incrementBy(1));
            return;
        }
        SignalOperation<PutIfAbsentResult<SharedNodeSignal>> made;
        try {
            made = card.putChildIfAbsent(VOTES);
        } catch (PubSubSignalRefusedException refused) {
            Limits.show(notSaved);
            return;
        }
        // completes inside this page's access, as a write made in a page does; nothing to wait for here
        var unused = made.result().thenAccept(outcome -> {
            if (outcome instanceof SignalOperation.Result<PutIfAbsentResult<SharedNodeSignal>> found) {
                write(() -> found.value().entry().asNumber().incrementBy(1));
            }
        });
    }

    /**
     * Moves the card past its neighbour as this page shows them. Should someone else move either at the same time,
     * the writes still land in one order on every server, so every page ends up with the same list.
     */
    private void move(SharedValueSignal<Card> entry, int by) {
        List<SharedValueSignal<Card>> all = cards.peek();
        int from = all.indexOf(entry);
        int to = from + by;
        if (from < 0 || to < 0 || to >= all.size()) {
            return;
        }
        SharedValueSignal<Card> neighbour = all.get(to);
        write(() -> cards.moveTo(entry, by < 0 ? ListPosition.before(neighbour) : ListPosition.after(neighbour)));
    }

    /** A card's vote count, from its entry's state; null before its first vote and once the card is removed. */
    private static SharedNumberSignal votesOf(SharedNodeSignal.SharedNodeSignalState entry) {
        if (entry == null) {
            return null;
        }
        SharedNodeSignal count = entry.mapChildren().get(VOTES);
        return count == null ? null : count.asNumber();
    }

    /**
     * Makes a write, or tells the person why it was not made: a write is refused at the call when the page's session
     * is over its send budget, or when the engine cannot be reached. Returns whether it was taken.
     */
    private boolean write(Runnable write) {
        try {
            write.run();
            return true;
        } catch (PubSubSignalRefusedException refused) {
            Limits.show(notSaved);
            return false;
        }
    }

    private void presenceChanged(PresenceEvent event) {
        String id = event.presence().id();
        switch (event.kind()) {
            case PRESENT, JOIN -> {
                if (!present.containsKey(id)) {
                    Span person = new Span(String.valueOf(event.presence().descriptor()));
                    present.put(id, person);
                    people.add(person);
                }
            }
            case LEAVE -> {
                Span gone = present.remove(id);
                if (gone != null) {
                    people.remove(gone);
                }
            }
        }
    }
}
