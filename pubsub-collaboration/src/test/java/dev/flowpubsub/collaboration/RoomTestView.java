package dev.flowpubsub.collaboration;

import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.Route;

/** A room as an application would make one with the components: who is here, the messages and an input. */
@Route("room")
public final class RoomTestView extends VerticalLayout implements HasUrlParameter<String> {

    final PubSubAvatarGroup here = new PubSubAvatarGroup(null);
    final PubSubMessageList messages = new PubSubMessageList(null);
    final PubSubMessageInput input = new PubSubMessageInput(messages);

    public RoomTestView() {
        add(here, messages, input);
    }

    @Override
    public void setParameter(BeforeEvent event, String room) {
        here.setTopic("room:" + room);
        messages.setTopic("room:" + room);
    }
}
