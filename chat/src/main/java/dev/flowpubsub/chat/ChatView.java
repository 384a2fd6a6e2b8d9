package dev.flowpubsub.chat;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.PubSubSendRefusedException;

/**
 * Flet's chat example, ported line for line: a column of messages, then a name, a message and Send.
 * Every page subscribes; Send broadcasts {@code "name: message"} to all of them, the sender's own included.
 * The messages scroll inside the page, the newest in view, and the input row stays at the bottom.
 */
@Route("")
@PageTitle("Flet Chat")
public final class ChatView extends VerticalLayout {

    static final String DEFAULT_NAME = "Anonymous";

    private final MessageList messages = new MessageList();
    private final TextField name = Limits.limited(new TextField(), Limits.MAX_NAME);
    private final TextField message = Limits.limited(new TextField(), Limits.MAX_MESSAGE);
    private final Notification tooFast = Limits.tooFastNotice();
    private final PubSub pubsub = PubSub.current();

    public ChatView() {
        name.setPlaceholder("Your name");
        name.setWidth("150px");
        message.setPlaceholder("Your message...");
        Button send = new Button("Send", click -> send());
        send.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        send.addClickShortcut(Key.ENTER).listenOn(message);

        HorizontalLayout row = new HorizontalLayout(name, message, send);
        row.setWidthFull();
        row.expand(message);
        addClassName("chat"); // styles.css: room below the input row for the development toolbar
        setSizeFull();
        add(new H2("Flet Chat"), messages.scroller(), row);
        expand(messages.scroller());

        // Flet: page.pubsub.subscribe(on_message). The handler runs in this page's ui.access(), so it is pushed.
        // A Flet page is the whole tab; a Vaadin view can leave its tab (navigating to /rooms): this view
        // subscribes while it is shown, and shown again it does not add a second subscription.
        // snippet:subscribe
        PubSub.whileAttached(this).subscribe(String.class, text -> messages.append(new Paragraph(text)));
        // end:subscribe
    }

    // snippet:send
    private void send() {
        String text = Limits.cut(message.getValue().strip(), Limits.MAX_MESSAGE);
        if (text.isEmpty()) {
            return;
        }
        String sender = Limits.cut(name.getValue().strip(), Limits.MAX_NAME);
        try {
            pubsub.sendAll((sender.isEmpty() ? DEFAULT_NAME : sender) + ": " + text);
        } catch (PubSubSendRefusedException refused) {
            Limits.show(tooFast);
            return;
        }
        message.clear();
        message.focus();
    }
    // end:send
}
