package dev.flowpubsub.collaboration;

import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.Route;

import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A ticket edited by several people, as an application would make it: each editor's page seeds from the ticket it
 * loaded ({@link #STORE}, the application's own store, here a map).
 */
@Route("ticket")
public final class TicketTestView extends VerticalLayout implements HasUrlParameter<String> {

    static final Map<String, Ticket> STORE = new ConcurrentHashMap<>();

    final TextField title = new TextField("Title");
    final NumberField estimate = new NumberField("Estimate");
    final DatePicker due = new DatePicker("Due");
    final ComboBox<Ticket.Status> status = new ComboBox<>("Status", Ticket.Status.values());
    final Checkbox urgent = new Checkbox("Urgent");
    final PubSubBinder<Ticket> binder = new PubSubBinder<>(Ticket.class, this);

    public TicketTestView() {
        binder.forField(title).bind("title");
        binder.forField(estimate).bind("estimate");
        binder.forField(due).bind("due");
        binder.forField(status).bind("status");
        binder.forField(urgent).bind("urgent");
        add(title, estimate, due, status, urgent);
    }

    @Override
    public void setParameter(BeforeEvent event, String id) {
        binder.setTopic("ticket/" + id, () -> STORE.computeIfAbsent(id,
                key -> new Ticket("Ticket " + key, 1.0, LocalDate.of(2026, 12, 24), Ticket.Status.OPEN, false)));
    }
}
