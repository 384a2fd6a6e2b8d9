package dev.flowpubsub.internal;

import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import org.jspecify.annotations.NullMarked;

/**
 * Vaadin runs this for every service, with or without Spring (it is listed in {@code META-INF/services}): it watches
 * each page's push connection, so that a page whose browser vanished without saying goodbye leaves its presence
 * (see {@link dev.flowpubsub.PubSubHubBuilder#presenceDisconnectGrace}). There is nothing to call; it is public only because Vaadin
 * finds it with a {@code ServiceLoader}.
 */
@NullMarked
public final class PubSubServiceInitListener implements VaadinServiceInitListener {

    private static final long serialVersionUID = 1L;

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(init -> PushWatch.watch(init.getUI()));
    }
}
