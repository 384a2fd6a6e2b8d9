package dev.flowpubsub.chat;

import com.github.mvysny.kaributesting.v10.Routes;
import com.github.mvysny.kaributesting.v10.mock.MockVaadinServlet;
import com.vaadin.flow.function.DeploymentConfiguration;
import com.vaadin.flow.server.ServiceException;
import com.vaadin.flow.server.VaadinServletService;
import dev.flowpubsub.HistoryPolicy;
import dev.flowpubsub.PubSubHub;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The chat application for browserless tests: Karibu's servlet with every view of the app, and a hub that
 * keeps room history as {@code application.properties} tells the real application's hub to
 * ({@code pubsub.history.*}, read from that file), installed before any page exists. Spring is not started;
 * the hub closes when Karibu tears the application down.
 *
 * <pre>{@code MockVaadin.setup(MockedUI::new, new MockChatServlet());}</pre>
 */
final class MockChatServlet extends MockVaadinServlet {

    MockChatServlet() {
        super(new Routes().autoDiscoverViews("dev.flowpubsub.chat"));
    }

    @Override
    protected VaadinServletService createServletService(DeploymentConfiguration configuration) throws ServiceException {
        VaadinServletService service = super.createServletService(configuration);
        PubSubHub.install(service, PubSubHub.builder().history(historyOfApplicationProperties()).build(), true);
        return service;
    }

    private static HistoryPolicy historyOfApplicationProperties() {
        Properties properties = new Properties();
        try (InputStream in = MockChatServlet.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HistoryPolicy.keep(Integer.parseInt(properties.getProperty("pubsub.history.size")),
                properties.getProperty("pubsub.history.topic-prefixes").split(","));
    }
}
