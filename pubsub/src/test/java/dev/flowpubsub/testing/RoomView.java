package dev.flowpubsub.testing;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinSession;
import dev.flowpubsub.PubSub;

/**
 * The cluster tests' application: a room where each line typed is sent to everyone on every server, and who is in
 * it (the session's {@code "name"}, else "guest"). What it shows is what the test reads.
 */
@Route("room")
public final class RoomView extends VerticalLayout {

    static final String TOPIC = "room";

    final Div lines = new Div();
    final TextField line = new TextField("Line");
    final Button send = new Button("Send", click -> {
        PubSub.current().sendAllOnTopic(TOPIC, line.getValue());
        line.clear();
    });

    public RoomView() {
        lines.setId("lines");
        add(lines, line, send);
    }

    @Override
    protected void onAttach(AttachEvent event) {
        PubSub pubSub = PubSub.of(event.getUI());
        pubSub.subscribeTopicWithHistory(TOPIC, String.class, text -> lines.add(new Span(text)));
        Object name = VaadinSession.getCurrent().getAttribute("name");
        pubSub.join(TOPIC, name == null ? "guest" : name.toString());
    }

    /** The lines shown, oldest first. */
    java.util.List<String> shown() {
        return lines.getChildren().map(child -> ((Span) child).getText()).toList();
    }
}
