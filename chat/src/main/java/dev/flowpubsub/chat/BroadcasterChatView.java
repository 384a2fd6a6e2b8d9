package dev.flowpubsub.chat;

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
 * The same chat as {@link ChatView}, on the Vaadin docs' {@link Broadcaster} instead of flow-pubsub, registered in
 * {@code onAttach} and removed in {@code onDetach} as the docs do. The benchmarks' end-to-end tool measures both
 * routes with the same clients; nothing links here. Its layout is a deliberate copy of {@code ChatView}'s rather
 * than a shared base class: both pages must push exactly the same components, and {@code ChatView} stays the
 * self-contained port of the Flet example that readers copy.
 */
@Route("broadcaster")
@PageTitle("Chat (docs Broadcaster)")
public final class BroadcasterChatView extends VerticalLayout {

    private final VerticalLayout messages = new VerticalLayout();
    private final TextField name = new TextField();
    private final TextField message = new TextField();
    private Registration broadcasterRegistration;

    public BroadcasterChatView() {
        messages.setPadding(false);
        messages.setSpacing(false);
        messages.addClassName("messages");

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
    @SuppressWarnings("FutureReturnValueIgnored") // the Vaadin docs' pattern, as users write it
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
        Broadcaster.broadcast((sender.isEmpty() ? ChatView.DEFAULT_NAME : sender) + ": " + text);
        message.clear();
        message.focus();
    }
}
