package dev.flowpubsub.chat;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.OptionalParameter;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.server.VaadinSession;
import dev.flowpubsub.collaboration.PubSubAvatarGroup;
import dev.flowpubsub.collaboration.PubSubBinder;
import dev.flowpubsub.collaboration.PubSubMessageInput;
import dev.flowpubsub.collaboration.PubSubMessageList;
import dev.flowpubsub.collaboration.UserInfo;


/**
 * A ticket edited by several people at once ({@code /ticket/1}): flow-pubsub-collaboration's shared form. What one
 * person types shows in everyone's form on the same ticket, on every server; a field someone else is in is marked with
 * their name; who is on the ticket shows at the top, and its comments (with their history) at the bottom. Saving
 * stays the application's job: Save writes the form to the demo's store ({@link Tickets}). That store is each server's
 * own memory, so across servers a ticket saved on one is not what another loads: an application saves to a database
 * every server reads, and the next first editor of a ticket (after its shared values expired) seeds from there.
 *
 * <p>Threading: built and clicked on the page's request thread; shared values arrive inside its {@code ui.access}.
 */
@Route("ticket")
public final class TicketView extends VerticalLayout implements HasUrlParameter<String> {

    private final H2 heading = new H2();
    private final PubSubAvatarGroup editors;
    private final PubSubBinder<Ticket> binder;
    private final PubSubMessageList comments;
    private String id = Tickets.IDS.getFirst();

    public TicketView() {
        UserInfo user = RoomsView.userOf(VaadinSession.getCurrent());
        editors = new PubSubAvatarGroup(user, null);
        binder = new PubSubBinder<>(Ticket.class, this, user);
        comments = new PubSubMessageList(user, null);
        comments.addClassName("comments");
        comments.setHeight("240px");
        PubSubMessageInput comment = new PubSubMessageInput(comments);
        comment.setMaxLength(Limits.MAX_MESSAGE);
        comment.setWidthFull();

        TextField title = Limits.limited(new TextField("Title"), Limits.MAX_TITLE);
        TextArea description = new TextArea("Description");
        description.setMaxLength(Limits.MAX_MESSAGE);
        NumberField estimate = new NumberField("Estimate (days)");
        DatePicker due = new DatePicker("Due");
        ComboBox<Ticket.Status> status = new ComboBox<>("Status", Ticket.Status.values());
        Checkbox urgent = new Checkbox("Urgent");
        binder.forField(title).asRequired("A ticket needs a title").bind("title");
        binder.forField(description).bind("description");
        binder.forField(estimate).bind("estimate");
        binder.forField(due).bind("due");
        binder.forField(status).bind("status");
        binder.forField(urgent).bind("urgent");

        Button save = new Button("Save", click -> save());
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);

        HorizontalLayout tickets = new HorizontalLayout();
        Tickets.IDS.forEach(other -> tickets.add(new RouterLink("Ticket " + other, TicketView.class, other)));
        HorizontalLayout links = new HorizontalLayout(new RouterLink("Back to the chat", ChatView.class), tickets,
                new Span("You are " + user.name() + "."));
        FormLayout form = new FormLayout(title, status, estimate, due, urgent, description);
        form.setColspan(description, 2);
        addClassName("ticket");
        add(links, heading, editors, form, save, new H4("Comments"), comments, comment);
    }

    @Override
    public void setParameter(BeforeEvent event, @OptionalParameter String parameter) {
        id = parameter != null && Tickets.IDS.contains(parameter) ? parameter : Tickets.IDS.getFirst();
        heading.setText("Ticket " + id);
        String topic = "ticket/" + id;
        editors.setTopic(topic);
        binder.setTopic(topic, () -> Tickets.load(id));
        comments.setTopic("comments:" + id);
    }

    private void save() {
        Ticket ticket = Tickets.load(id);
        if (binder.writeBeanIfValid(ticket)) {
            Tickets.save(id, ticket);
            Notification.show("Ticket " + id + " saved", 2000, Notification.Position.BOTTOM_START);
        }
    }
}
