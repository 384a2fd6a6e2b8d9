package dev.flowpubsub.spring.karibu;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Route;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.Topic;

/**
 * The view the README and docs/getting-started.md show, tested by {@link KaribuInSpringTest}: what is sent on the
 * topic shows on every page of the route, while the view is shown.
 */
// snippet:view
@Route("")
public final class GreetingView extends VerticalLayout {

    public static final Topic<String> GREETINGS = Topic.of("greetings", String.class);

    public GreetingView() {
        TextField message = new TextField();
        message.setPlaceholder("Your message...");
        add(message, new Button("Send", click -> PubSub.current().sendAllOnTopic(GREETINGS, message.getValue())));

        // while this view is shown: leaving it unsubscribes, coming back subscribes again
        PubSub.whileAttached(this).subscribeTopic(GREETINGS, text -> add(new Paragraph(text)));
    }
}
// end:view
