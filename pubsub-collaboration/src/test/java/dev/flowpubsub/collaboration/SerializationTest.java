package dev.flowpubsub.collaboration;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.dom.DomEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;

import static com.github.mvysny.kaributesting.v10.ElementUtilsKt._fireDomEvent;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

/** Pages holding the components serialize, as a session persisted or replicated by the container is. */
class SerializationTest {

    private final TestServer server = new TestServer();

    @AfterEach
    void stop() {
        server.destroy();
        MockVaadin.tearDown();
    }

    private static int written(Object page) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
            objects.writeObject(page);
        }
        return out.size();
    }

    @Test
    void aPageWithAnOpenItemAFocusedFieldAnAvatarGroupAndAMessageList_serializes() throws Exception {
        try (Visitor ann = new Visitor(server, UserInfo.of("ann", "Ann"), "ticket/1");
             Visitor bob = new Visitor(server, UserInfo.of("bob", "Bob"), "room/general")) {
            int ticket = ann.sees(() -> {
                var title = _get(TicketTestView.class).title.getElement();
                _fireDomEvent(title, new DomEvent(title, "focus", JsonNodeFactory.instance.objectNode()));
                return written(UI.getCurrent());
            });
            int room = bob.sees(() -> written(UI.getCurrent()));

            assertThat(ticket).isPositive();
            assertThat(room).isPositive();
        }
    }
}
