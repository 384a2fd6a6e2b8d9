package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A session whose view is bound to a cluster signal serializes (session persistence, replication), although Vaadin
 * makes its own shared signals refuse to: the signal is written as its name, and read back on another node it is that
 * node's signal of the same name, live.
 */
class SignalSessionsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final SignalNodes nodes = SignalNodes.threaded();

    private VaadinApp app(String node) {
        return nodes.app(node, nodes.newTransport(node), builder -> builder);
    }

    /** A view keeping its signal in a field and its text bound to it, as views do. */
    static final class TitleView extends Div {
        final SharedValueSignal<String> title;
        final Span text = new Span();

        TitleView(SharedValueSignal<String> title) {
            this.title = title;
            add(text);
            text.getElement().bindText(title);
        }
    }

    @Test
    void aSessionWithAViewBoundToAClusterSignal_serializes_andReadBackOnAnotherNodeFollowsThatNodesSignal()
            throws Exception {
        VaadinApp a = app("a");
        VaadinApp b = app("b");
        SharedValueSignal<String> onA = nodes.signals("a").value("board.title", String.class);
        onA.set("before").result().join();
        VaadinApp.Browser ann = a.browser();
        UI page = ann.pushTab();
        page.accessSynchronously(() -> page.add(new TitleView(nodes.signals("a").value("board.title", String.class))));

        byte[] bytes = write(ann.session);
        List<UI> pages = readOn(b.service, bytes);

        TitleView restored = pages.getFirst().getChildren().filter(TitleView.class::isInstance)
                .map(TitleView.class::cast).findFirst().orElseThrow();
        assertThat(restored.title.peek()).isEqualTo("before");
        onA.set("after").result().join();
        await().atMost(WAIT).until(() -> "after".equals(restored.title.peekConfirmed()));
        restored.title.set("from the restored view");
        await().atMost(WAIT).until(() -> "from the restored view".equals(onA.peekConfirmed()));
    }

    @Test
    void readBackWhereNoHubRuns_failsNamingTheSignal() throws Exception {
        VaadinApp a = app("a");
        VaadinApp.Browser ann = a.browser();
        UI page = ann.pushTab();
        page.accessSynchronously(() -> page.add(new TitleView(nodes.signals("a").value("board.title", String.class))));
        byte[] bytes = write(ann.session);
        nodes.kill("a");

        assertThatThrownBy(() -> readOn(null, bytes)).isInstanceOf(InvalidObjectException.class)
                .hasMessageContaining("'board.title'");
    }

    private static byte[] write(VaadinSession session) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        session.lock();
        try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
            objects.writeObject(session);
            objects.writeObject(new ArrayList<>(session.getUIs())); // as a production-mode session writes them
        } finally {
            session.unlock();
        }
        return out.toByteArray();
    }

    /** Reads a session back as a container does on a node whose Vaadin service is {@code service}. */
    @SuppressWarnings("unchecked")
    private static List<UI> readOn(VaadinService service, byte[] bytes) throws Exception {
        VaadinService before = VaadinService.getCurrent();
        VaadinService.setCurrent(service);
        try (ObjectInputStream objects = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            objects.readObject();
            return (List<UI>) objects.readObject();
        } finally {
            VaadinService.setCurrent(before);
        }
    }
}
