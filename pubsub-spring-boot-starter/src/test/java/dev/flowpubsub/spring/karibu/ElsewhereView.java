package dev.flowpubsub.spring.karibu;

import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Route;

/** Another route, to leave the greetings for and come back from. */
@Route("elsewhere")
public final class ElsewhereView extends VerticalLayout {

    public ElsewhereView() {
        add(new Span("Elsewhere"));
    }
}
