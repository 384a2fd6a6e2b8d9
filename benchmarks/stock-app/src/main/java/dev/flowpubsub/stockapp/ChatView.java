package dev.flowpubsub.stockapp;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;

/**
 * Flet's chat example as a Vaadin developer writes it on the docs' {@link Broadcaster}: registered in
 * {@code onAttach}, removed in {@code onDetach}. The same fields and components as flow-pubsub's chat, so the
 * benchmarks' load client finds them and both push the same changes per message.
 */
@Route("")
@PageTitle("Flet Chat")
public class ChatView extends VerticalLayout {

    private final VerticalLayout messages = new VerticalLayout();
    private final TextField name = new TextField();
    private final TextField message = new TextField();
    private Registration broadcasterRegistration;

    public ChatView() {
        messages.setPadding(false);
        messages.setSpacing(false);

        name.setPlaceholder("Your name");
        name.setWidth("150px");
        message.setPlaceholder("Your message...");
        Button send = new Button("Send", click -> send());
        send.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        send.addClickShortcut(Key.ENTER).listenOn(message);

        HorizontalLayout row = new HorizontalLayout(name, message, send);
        row.setWidthFull();
        row.expand(message);
        add(messages, row);
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        UI ui = attachEvent.getUI();
        broadcasterRegistration = Broadcaster.register(text -> ui.access(() -> messages.add(new Paragraph(text))));
    }

    @Override
    protected void onDetach(DetachEvent detachEvent) {
        broadcasterRegistration.remove();
        broadcasterRegistration = null;
    }

    private void send() {
        String text = message.getValue().strip();
        if (text.isEmpty()) {
            return;
        }
        String sender = name.getValue().strip();
        Broadcaster.broadcast((sender.isEmpty() ? "Anonymous" : sender) + ": " + text);
        message.clear();
        message.focus();
    }
}
