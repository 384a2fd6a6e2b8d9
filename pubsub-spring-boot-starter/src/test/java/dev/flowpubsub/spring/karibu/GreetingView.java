package dev.flowpubsub.spring.karibu;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import dev.flowpubsub.PubSub;

/** The view the README's "Testing your views" section tests: what is sent shows on every page of the route. */
@Route("")
public final class GreetingView extends VerticalLayout {

    private Registration subscription;

    public GreetingView() {
        TextField message = new TextField();
        message.setPlaceholder("Your message...");
        add(message, new Button("Send", click -> PubSub.of(getUI().orElseThrow()).sendAll(message.getValue())));
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        subscription = PubSub.of(attach.getUI()).subscribe(String.class, text -> add(new Paragraph(text)));
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        subscription.remove();
    }
}
