package dev.flowpubsub.chat;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.server.VaadinSession;
import dev.flowpubsub.collaboration.PubSubAvatarGroup;
import dev.flowpubsub.collaboration.PubSubMessageInput;
import dev.flowpubsub.collaboration.PubSubMessageList;
import dev.flowpubsub.collaboration.UserInfo;
import org.jspecify.annotations.Nullable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One room: who is here, its last messages and then live ones, and a message input, with flow-pubsub-collaboration's
 * components: a {@link PubSubAvatarGroup} and a {@link PubSubMessageList} with its {@link PubSubMessageInput}, each
 * following the room's topic ({@code "room:" + name}). Vaadin keeps this view when only the room of the route changes
 * and calls {@link #beforeEnter} again, which moves the components to the new room (they leave the old one first);
 * leaving for another view, closing the tab or ending the session detaches them, which leaves the room.
 */
@Route("rooms/:" + RoomView.ROOM)
public final class RoomView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    static final String ROOM = "room";

    private final Map<String, RouterLink> links = new LinkedHashMap<>();
    private final Span you = new Span();
    private final H2 title = new H2();
    private final PubSubAvatarGroup people;
    private final PubSubMessageList messages;
    private @Nullable String room;

    public RoomView() {
        UserInfo user = RoomsView.userOf(VaadinSession.getCurrent());
        people = new PubSubAvatarGroup(user, null);
        messages = new PubSubMessageList(user, null);
        PubSubMessageInput input = new PubSubMessageInput(messages);
        input.setMaxLength(Limits.MAX_MESSAGE);
        input.setWidthFull();

        HorizontalLayout rooms = new HorizontalLayout();
        for (String other : RoomsView.ROOMS) {
            links.put(other, new RouterLink("# " + other, RoomView.class, new RouteParameters(ROOM, other)));
        }
        rooms.add(links.values().toArray(RouterLink[]::new));
        rooms.add(you, new RouterLink("Change name", RoomsView.class));
        rooms.setAlignItems(Alignment.BASELINE);

        people.addClassName("people");
        people.setWidth("240px"); // room for a few avatars before they fold into "+n"
        H4 hereNow = new H4("Here now");
        hereNow.getStyle().set("white-space", "nowrap");
        HorizontalLayout here = new HorizontalLayout(hereNow, people);
        here.setAlignItems(Alignment.CENTER);
        messages.addClassName("messages");
        messages.setWidthFull();

        addClassName("room");
        setSizeFull();
        add(rooms, title, here, messages, input);
        setFlexGrow(1, messages);
    }

    /**
     * Entering from elsewhere, or from another room of this same view: the components leave that room first.
     * Following the link of the room one is in changes nothing.
     */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        String wanted = event.getRouteParameters().get(ROOM).orElse("");
        String chosenName = RoomsView.nameIn(VaadinSession.getCurrent());
        if (!RoomsView.ROOMS.contains(wanted) || chosenName == null) {
            event.forwardTo(RoomsView.class); // an unknown room, or no name asked yet
            return;
        }
        room = wanted;
        title.setText("# " + wanted);
        you.setText("You are " + chosenName + ".");
        links.forEach((other, link) -> link.getStyle().set("font-weight", other.equals(wanted) ? "bold" : "normal"));
        people.setTopic(topic(wanted));
        messages.setTopic(topic(wanted));
    }

    static String topic(String room) {
        return "room:" + room;
    }

    @Override
    public String getPageTitle() {
        return room == null ? "Rooms" : "# " + room;
    }
}
