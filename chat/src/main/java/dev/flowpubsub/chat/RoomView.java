package dev.flowpubsub.chat;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.server.VaadinSession;
import dev.flowpubsub.PresenceEvent;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.PubSubSendRefusedException;
import dev.flowpubsub.Retargetable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One room: its last messages and then live ones, who is here, and a message field. Being in a room is what
 * {@link #enter} takes for it (present on the room's topic, following who comes and goes, and its messages with their
 * history), held by a {@link Retargetable} that follows the room of the route: Vaadin keeps this view when only the
 * room changes and calls {@link #beforeEnter} again, which moves it to the new room; leaving for another view, closing
 * the tab or ending the session detaches it, which leaves the room.
 */
@Route("rooms/:" + RoomView.ROOM)
public final class RoomView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    static final String ROOM = "room";

    private final PubSub pubsub = PubSub.current();
    private final Map<String, RouterLink> links = new LinkedHashMap<>();
    private final Span you = new Span();
    private final H2 title = new H2();
    private final MessageList messages = new MessageList();
    private final VerticalLayout people = new VerticalLayout();
    private final Map<String, Span> present = new LinkedHashMap<>();
    private final TextField message = Limits.limited(new TextField(), Limits.MAX_MESSAGE);
    private final Notification tooFast = Limits.tooFastNotice();
    private final Retargetable<Seat> seat = PubSub.whileAttached(this).retargetable(this::enter);
    /** This page's own presence entry in the room: shown in bold. */
    private String me;

    public RoomView() {
        HorizontalLayout rooms = new HorizontalLayout();
        for (String other : RoomsView.ROOMS) {
            links.put(other, new RouterLink("# " + other, RoomView.class, new RouteParameters(ROOM, other)));
        }
        rooms.add(links.values().toArray(RouterLink[]::new));
        rooms.add(you, new RouterLink("Change name", RoomsView.class));
        rooms.setAlignItems(Alignment.BASELINE);

        people.setPadding(false);
        people.setSpacing(false);
        people.addClassName("people");
        VerticalLayout here = new VerticalLayout(new H4("Here now"), people);
        here.setPadding(false);
        here.setWidth("160px");
        HorizontalLayout body = new HorizontalLayout(messages.scroller(), here);
        body.setWidthFull();
        body.setMinHeight("0");
        body.expand(messages.scroller());
        body.setFlexShrink(0, here);

        message.setPlaceholder("Your message...");
        Button send = new Button("Send", click -> send());
        send.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        send.addClickShortcut(Key.ENTER).listenOn(message);
        HorizontalLayout row = new HorizontalLayout(message, send);
        row.setWidthFull();
        row.expand(message);

        addClassName("room");
        setSizeFull();
        add(rooms, title, body, row);
        expand(body);
    }

    /** Who sits where: the room, and the name one is in it under. */
    private record Seat(String room, String name) {
    }

    /**
     * Entering from elsewhere, or from another room of this same view: the latter leaves that room first.
     * Following the link of the room one is in changes nothing (the seat is the same).
     */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String wanted = event.getRouteParameters().get(ROOM).orElse("");
        String chosenName = RoomsView.nameIn(VaadinSession.getCurrent());
        if (!RoomsView.ROOMS.contains(wanted) || chosenName == null) {
            event.forwardTo(RoomsView.class); // an unknown room, or no name asked yet
            return;
        }
        seat.retarget(new Seat(wanted, chosenName));
    }

    /** Takes a seat: run when the view attaches and when the seat changes while it is attached. */
    private void enter(PubSub page, Seat taken) {
        String topic = topic(taken.room());
        title.setText("# " + taken.room());
        you.setText("You are " + taken.name() + ".");
        links.forEach((other, link) -> link.getStyle().set("font-weight",
                other.equals(taken.room()) ? "bold" : "normal"));
        messages.removeAll();
        people.removeAll();
        present.clear();
        // Joining before following presence makes this page one of those PRESENT, so it announces no one.
        me = page.join(topic, taken.name()).presence().id();
        page.subscribePresence(topic, this::presenceChanged);
        page.subscribeTopicWithHistory(topic, ChatMessage.class, this::show);
    }

    private void presenceChanged(PresenceEvent event) {
        String who = String.valueOf(event.presence().descriptor());
        switch (event.kind()) {
            case PRESENT -> addPerson(event.presence().id(), who);
            case JOIN -> {
                addPerson(event.presence().id(), who);
                notice(who + " joined");
            }
            case LEAVE -> {
                Span gone = present.remove(event.presence().id());
                if (gone != null) {
                    people.remove(gone);
                }
                notice(who + " left");
            }
        }
    }

    private void addPerson(String presenceId, String who) {
        Span person = new Span(who);
        if (presenceId.equals(me)) {
            person.addClassName("you");
            person.getStyle().set("font-weight", "bold");
        }
        present.put(presenceId, person);
        people.add(person);
    }

    private void show(ChatMessage said) {
        messages.append(new Paragraph(said.author() + ": " + said.text()));
    }

    private void notice(String text) {
        Paragraph notice = new Paragraph(text);
        notice.addClassName("notice");
        notice.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-style", "italic");
        messages.append(notice);
    }

    private void send() {
        String text = Limits.cut(message.getValue().strip(), Limits.MAX_MESSAGE);
        if (text.isEmpty()) {
            return;
        }
        Seat here = seat.target();
        if (here == null) {
            return;
        }
        try {
            pubsub.sendAllOnTopic(topic(here.room()), new ChatMessage(here.name(), text));
        } catch (PubSubSendRefusedException refused) {
            Limits.show(tooFast);
            return;
        }
        message.clear();
        message.focus();
    }

    private static String topic(String room) {
        return "room:" + room;
    }

    @Override
    public String getPageTitle() {
        Seat here = seat.target();
        return here == null ? "Rooms" : "# " + here.room();
    }
}
