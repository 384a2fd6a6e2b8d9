package dev.flowpubsub.testsupport;

import jakarta.servlet.ServletContext;
import org.atmosphere.cpr.AsyncSupport;
import org.atmosphere.cpr.BroadcasterFactory;
import org.atmosphere.cpr.DefaultBroadcaster;

/** What Atmosphere (Vaadin's push) really uses, read back from a running application. */
public final class Atmospheres {

    private Atmospheres() {
    }

    /**
     * The write wait, in milliseconds, of the broadcaster every push connection of the Vaadin servlet in
     * {@code context} uses: the value its write threads wait for a next push. A protected field (Atmosphere has no
     * getter), read by reflection: check it on every Atmosphere upgrade.
     */
    public static int writeWaitMillis(ServletContext context) {
        DefaultBroadcaster broadcaster = broadcaster(context);
        try {
            var field = DefaultBroadcaster.class.getDeclaredField("waitTime");
            field.setAccessible(true);
            return field.getInt(broadcaster);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Atmosphere's DefaultBroadcaster has no int field waitTime any more", e);
        }
    }

    /** The container support ({@code AsyncSupport}) that serves the push requests of the Vaadin servlet in {@code context}. */
    public static AsyncSupport<?> asyncSupport(ServletContext context) {
        return broadcaster(context).getBroadcasterConfig().getAtmosphereConfig().framework().getAsyncSupport();
    }

    private static DefaultBroadcaster broadcaster(ServletContext context) {
        BroadcasterFactory factory = (BroadcasterFactory) context.getAttribute(BroadcasterFactory.class.getName());
        if (factory == null) {
            throw new IllegalStateException("Atmosphere was not initialized in this servlet context");
        }
        return (DefaultBroadcaster) factory.lookup("/*");
    }
}
