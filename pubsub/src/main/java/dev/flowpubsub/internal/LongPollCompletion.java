package dev.flowpubsub.internal;

import jakarta.servlet.ServletException;
import org.atmosphere.container.JSR356AsyncSupport;
import org.atmosphere.container.Servlet30CometSupport;
import org.atmosphere.cpr.Action;
import org.atmosphere.cpr.ApplicationConfig;
import org.atmosphere.cpr.AsyncSupport;
import org.atmosphere.cpr.AtmosphereConfig;
import org.atmosphere.cpr.AtmosphereFramework;
import org.atmosphere.cpr.AtmosphereFrameworkListenerAdapter;
import org.atmosphere.cpr.AtmosphereRequest;
import org.atmosphere.cpr.AtmosphereResource;
import org.atmosphere.cpr.AtmosphereResponse;
import org.atmosphere.cpr.FrameworkConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.io.IOException;

/**
 * Keeps long-polling pages from hanging on a push written while their poll was being suspended. Not API: Atmosphere
 * finds this class through {@code META-INF/services/org.atmosphere.cpr.AtmosphereFramework} and calls it while it
 * initializes the push of each Vaadin servlet, with or without Spring.
 *
 * <p>The defect it closes is Atmosphere's (3.0.5, as Vaadin 25 ships it, and its newest source): a long poll's
 * request is suspended in two steps, the handler's {@code suspend()} and then, after the handler returned, the
 * servlet's {@code startAsync()}, after which Atmosphere records the async context on the request. A push written
 * by one of Atmosphere's write threads between the two (Flow writes a page's pending push the moment its poll
 * connects) resumes the poll and tries to complete its async context before there is one to complete; the request
 * then suspends anyway and nothing ever completes it. The browser waits for that poll's answer for good, asks for
 * no further poll, and the page receives nothing more. Under load this hit a page or two in every thousand.
 *
 * <p>The fix: Atmosphere's own servlet support (the one it would choose: JSR 356 where the container has WebSockets,
 * else plain Servlet 3.0), with one step added after it served a request: if the request is suspended and its
 * resource was resumed meanwhile, its async context is completed then. Either the resume saw the async context and
 * completed it itself, or this step sees the resume; completing twice is refused by the container and ignored by
 * Atmosphere. An application that chose its own async support ({@code org.atmosphere.cpr.asyncSupport}, native or
 * blocking) keeps it.
 *
 * <p>Threading: {@link #onPreInit} runs on the thread that starts the servlet's push, once per servlet; the
 * supports' {@code service} runs on the request's container thread.
 */
public final class LongPollCompletion extends AtmosphereFrameworkListenerAdapter {

    private static final Logger LOG = PushWatch.LOG;

    /** Called by Atmosphere's service loading; applications have no use for it. */
    public LongPollCompletion() {
    }

    @Override
    public void onPreInit(AtmosphereFramework framework) {
        if (framework.getAsyncSupport() != null || !AtmosphereWriteWait.servesVaadinPush(framework)
                || chosenByApplication(framework)) {
            return;
        }
        AtmosphereConfig config = framework.getAtmosphereConfig();
        AsyncSupport<?> support = webSockets(framework) ? jsr356(config) : null;
        framework.setAsyncSupport(support != null ? support : new Servlet30(config));
        LOG.debug("flow-pubsub: Atmosphere's push served by {}", framework.getAsyncSupport().getContainerName());
    }

    private static boolean chosenByApplication(AtmosphereFramework framework) {
        var config = framework.getServletConfig();
        return config.getInitParameter(ApplicationConfig.PROPERTY_COMET_SUPPORT) != null
                || Boolean.parseBoolean(config.getInitParameter(ApplicationConfig.PROPERTY_NATIVE_COMETSUPPORT))
                || Boolean.parseBoolean(config.getInitParameter(ApplicationConfig.PROPERTY_BLOCKING_COMETSUPPORT));
    }

    /** Where Atmosphere itself would choose its JSR 356 support: the container offers WebSockets, not suppressed. */
    private static boolean webSockets(AtmosphereFramework framework) {
        var servletConfig = framework.getServletConfig();
        return !Boolean.parseBoolean(servletConfig.getInitParameter(ApplicationConfig.WEBSOCKET_SUPPRESS_JSR356))
                && servletConfig.getServletContext().getAttribute("jakarta.websocket.server.ServerContainer") != null;
    }

    /** Atmosphere's JSR 356 support with the completion, or {@code null} if the container's WebSockets refused it. */
    private static @Nullable AsyncSupport<?> jsr356(AtmosphereConfig config) {
        try {
            return new Jsr356(config);
        } catch (RuntimeException noWebSockets) { // as Atmosphere does: then Servlet 3.0 without WebSockets
            LOG.warn("flow-pubsub: Atmosphere's WebSocket support could not start, push falls back to long polling",
                    noWebSockets);
            return null;
        }
    }

    /**
     * After {@code support} served {@code request} on its container thread: completes the request's async context
     * if the request was suspended and its resource has been resumed since (see the class comment).
     */
    static void completeIfResumedMeanwhile(Servlet30CometSupport support, AtmosphereRequest request) {
        if (request.getAttribute(FrameworkConfig.ASYNC_CONTEXT) == null) {
            return; // not suspended by this request (a WebSocket, a POST, an answered poll)
        }
        AtmosphereResource resource = request.resource();
        if (resource != null && resource.isResumed()) {
            support.endAsyncContext(request);
        }
    }

    /**
     * Atmosphere's JSR 356 support, the one it uses with WebSockets, completing what it would leave hanging. Public
     * so that an application whose Atmosphere services hide flow-pubsub's can name it in
     * {@code org.atmosphere.cpr.asyncSupport}; not API otherwise.
     */
    public static final class Jsr356 extends JSR356AsyncSupport {

        /** Called by Atmosphere. */
        public Jsr356(AtmosphereConfig config) {
            super(config);
        }

        @Override
        public Action service(AtmosphereRequest request, AtmosphereResponse response)
                throws IOException, ServletException {
            Action action = super.service(request, response);
            completeIfResumedMeanwhile(this, request);
            return action;
        }
    }

    /** Atmosphere's Servlet 3.0 support, used without WebSockets, completing what it would leave hanging; as {@link Jsr356}. */
    public static final class Servlet30 extends Servlet30CometSupport {

        /** Called by Atmosphere. */
        public Servlet30(AtmosphereConfig config) {
            super(config);
        }

        @Override
        public Action service(AtmosphereRequest request, AtmosphereResponse response)
                throws IOException, ServletException {
            Action action = super.service(request, response);
            completeIfResumedMeanwhile(this, request);
            return action;
        }
    }
}
