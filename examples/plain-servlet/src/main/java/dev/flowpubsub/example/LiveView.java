package dev.flowpubsub.example;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.flowpubsub.ComponentPubSub;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.PubSubSendRefusedException;
import dev.flowpubsub.Topic;

import java.time.format.DateTimeFormatter;

/**
 * The server's clock, pushed every second by {@link ClockPublisher}, and what anyone says, sent from one page
 * to all of them.
 */
@Route("")
@PageTitle("flow-pubsub without Spring")
public final class LiveView extends VerticalLayout {

    /** The topic of what people say. */
    static final Topic<String> SAID = Topic.of("said", String.class);

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Span clock = new Span("--:--:--");
    private final Div said = new Div();
    private final TextField message = new TextField();

    public LiveView() {
        clock.setId("clock");
        said.setId("said");
        message.setPlaceholder("Say something");
        Button send = new Button("Send", click -> say());
        send.addClickShortcut(Key.ENTER).listenOn(message);
        add(new H2("Server time"), clock, new HorizontalLayout(message, send), said);

        // snippet:subscribe
        // while this view is shown; handlers run in this page's ui.access(), and @Push sends the change
        ComponentPubSub pubsub = PubSub.whileAttached(this);
        pubsub.subscribeTopic(ClockPublisher.CLOCK, time -> clock.setText(TIME.format(time)));
        pubsub.subscribeTopic(SAID, text -> said.add(new Paragraph(text)));
        // end:subscribe
    }

    private void say() {
        String text = message.getValue().strip();
        if (text.isEmpty()) {
            return;
        }
        try {
            PubSub.current().sendAllOnTopic(SAID, text); // to every page, this one included
        } catch (PubSubSendRefusedException tooFast) {
            Notification.show("Not sent: too many messages at once, try again");
            return;
        }
        message.clear();
    }
}
