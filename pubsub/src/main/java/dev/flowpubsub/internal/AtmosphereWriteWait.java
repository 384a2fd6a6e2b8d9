package dev.flowpubsub.internal;

import com.vaadin.flow.server.communication.PushAtmosphereHandler;
import org.atmosphere.cpr.AtmosphereFramework;
import org.atmosphere.cpr.AtmosphereFrameworkListenerAdapter;
import org.slf4j.Logger;

/**
 * Sets Atmosphere's write wait on Vaadin's push, so that one message to many pages leaves at once. Not API: Atmosphere
 * finds this class through {@code META-INF/services/org.atmosphere.cpr.AtmosphereFramework} and calls it while it
 * initializes the push of each Vaadin servlet, before it creates the broadcaster that reads the setting, with or
 * without Spring.
 *
 * <p>After each push to a browser, Atmosphere keeps one of its write threads on that connection for its
 * {@code org.atmosphere.cpr.Broadcaster.threadWaitTime} (100 ms by default), waiting for the next push; when one
 * message goes to more pages than it has threads, the rest wait for one to come free, about half a second at 1,000
 * pages. With a wait of 1 ms the threads come free at once.
 *
 * <p>What is set, in this order: nothing if the servlet already sets Atmosphere's parameter itself (the
 * application's choice wins); otherwise the servlet's init parameter {@value #PARAMETER} in milliseconds (the
 * Spring Boot starter passes {@code pubsub.push.atmosphere-write-wait} there), where an empty value leaves
 * Atmosphere's own; otherwise {@value #DEFAULT_MILLIS} ms.
 *
 * <p>Threading: called by Atmosphere on the thread that starts the servlet's push, once per servlet.
 */
public final class AtmosphereWriteWait extends AtmosphereFrameworkListenerAdapter {

    /** Atmosphere's own parameter (its {@code ApplicationConfig.BROADCASTER_WAIT_TIME}). */
    public static final String ATMOSPHERE_PARAMETER = "org.atmosphere.cpr.Broadcaster.threadWaitTime";
    /** The servlet init parameter that says what to set: milliseconds, or empty for Atmosphere's own. */
    public static final String PARAMETER = "pubsub.push.atmosphere-write-wait";
    /** What is set when nothing says otherwise. */
    public static final int DEFAULT_MILLIS = 1;

    private static final Logger LOG = PushWatch.LOG;

    /** Called by Atmosphere's service loading; applications have no use for it. */
    public AtmosphereWriteWait() {
    }

    @Override
    public void onPreInit(AtmosphereFramework framework) {
        if (!servesVaadinPush(framework)) {
            return;
        }
        var config = framework.getServletConfig();
        String own = config.getInitParameter(ATMOSPHERE_PARAMETER);
        if (own != null) {
            LOG.debug("flow-pubsub: the application sets Atmosphere's {} to {} ms itself", ATMOSPHERE_PARAMETER, own);
            return;
        }
        String ours = config.getInitParameter(PARAMETER);
        if (ours != null && ours.isBlank()) {
            return;
        }
        int millis = ours == null ? DEFAULT_MILLIS : millis(ours);
        framework.addInitParameter(ATMOSPHERE_PARAMETER, Integer.toString(millis));
        LOG.debug("flow-pubsub: Atmosphere's write wait set to {} ms for servlet {}", millis, config.getServletName());
    }

    /** Whether {@code framework} is the one serving a Vaadin servlet's push (flow-pubsub's Atmosphere services touch no other). */
    static boolean servesVaadinPush(AtmosphereFramework framework) {
        return framework.getAtmosphereHandlers().values().stream()
                .anyMatch(wrapper -> wrapper.atmosphereHandler instanceof PushAtmosphereHandler);
    }

    /** The servlet's value: a whole number of milliseconds, 0 or more. */
    static int millis(String value) {
        try {
            int millis = Integer.parseInt(value.strip());
            if (millis >= 0) {
                return millis;
            }
        } catch (NumberFormatException notANumber) {
            // said below
        }
        throw new IllegalArgumentException("servlet init parameter " + PARAMETER + " must be a whole number of "
                + "milliseconds, 0 or more, or empty for Atmosphere's own wait (got '" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "')");
    }
}
