package dev.flowpubsub.spring.cluster;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinSession;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.Topic;

import java.util.List;

/**
 * The view of {@link SpringClusterTest}'s application: the news of every server, and who reads them (the session's
 * {@code "name"}). Made by Spring, as every route of a Spring application is.
 */
@Route("news")
public final class NewsView extends VerticalLayout {

    public static final Topic<String> NEWS = Topic.of("news", String.class);

    private final Span server = new Span();
    private final Div lines = new Div();

    /** Spring makes the view with the beans of its node's context: here the hub, to show which server it is on. */
    public NewsView(PubSubHub hub) {
        server.setText("server " + hub.nodeId().orElse("?"));
        add(server, lines);
        Object name = VaadinSession.getCurrent().getAttribute("name");
        // while this view is shown: its subscription and its reader's presence, on every server
        PubSub.whileAttached(this).subscribeTopic(NEWS, text -> lines.add(new Span(text)));
        PubSub.whileAttached(this).join(NEWS, name == null ? "guest" : name.toString());
    }

    /** The server the page is on, as the view was told by its context. */
    String server() {
        return server.getText();
    }

    /** The news shown, oldest first. */
    List<String> shown() {
        return lines.getChildren().map(child -> ((Span) child).getText()).toList();
    }
}
