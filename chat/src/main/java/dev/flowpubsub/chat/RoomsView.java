package dev.flowpubsub.chat;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.server.VaadinSession;
import dev.flowpubsub.collaboration.CurrentUser;
import dev.flowpubsub.collaboration.UserInfo;

import java.util.List;
import java.util.UUID;

/**
 * The way into the rooms: a name, then one button per room. The name is kept in the browser session, so
 * every tab of this browser enters rooms under it until it is changed here.
 */
@Route("rooms")
@PageTitle("Rooms")
public final class RoomsView extends VerticalLayout {

    /** The rooms there are; each is the topic {@code "room:" + name}. */
    static final List<String> ROOMS = List.of("general", "random", "vaadin");

    private static final String NAME = "dev.flowpubsub.chat.name";
    private static final String USER_ID = "dev.flowpubsub.chat.userId";

    public RoomsView() {
        TextField name = Limits.limited(new TextField(), Limits.MAX_NAME);
        name.setPlaceholder("Your name");
        name.setWidth("150px");
        String chosen = nameIn(VaadinSession.getCurrent());
        if (chosen != null) {
            name.setValue(chosen);
        }

        HorizontalLayout rooms = new HorizontalLayout();
        for (String room : ROOMS) {
            rooms.add(new Button("# " + room, click -> {
                keepName(VaadinSession.getCurrent(), name.getValue());
                UI.getCurrent().navigate(RoomView.class, new RouteParameters(RoomView.ROOM, room));
            }));
        }

        add(new H2("Rooms"),
                new Paragraph("Pick a name, then a room: you see who is there and its last messages."),
                name, rooms, new HorizontalLayout(new RouterLink("Back to the chat", ChatView.class),
                        new RouterLink("The shared board", BoardView.class)));
    }

    /** The name this browser session entered rooms under, or null if it has not chosen one yet. */
    static String nameIn(VaadinSession session) {
        return (String) session.getAttribute(NAME);
    }

    private static void keepName(VaadinSession session, String name) {
        String stripped = Limits.cut(name.strip(), Limits.MAX_NAME);
        session.setAttribute(NAME, stripped.isEmpty() ? ChatView.DEFAULT_NAME : stripped);
    }

    /** This browser session's user: the name it chose for the rooms, and an id of its own. */
    static UserInfo userOf(VaadinSession session) {
        String name = nameIn(session);
        String userId = session.getAttribute(USER_ID) instanceof String kept ? kept : UUID.randomUUID().toString();
        session.setAttribute(USER_ID, userId);
        UserInfo user = UserInfo.of(userId, name == null ? ChatView.DEFAULT_NAME : name);
        CurrentUser.set(session, user);
        return user;
    }
}
