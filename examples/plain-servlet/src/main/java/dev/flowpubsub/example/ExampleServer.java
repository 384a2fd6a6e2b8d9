package dev.flowpubsub.example;

import com.vaadin.flow.server.VaadinServlet;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.ee11.webapp.MetaInfConfiguration;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * The example on embedded Jetty: a plain {@link VaadinServlet}, no Spring, started by
 * {@code ./mvnw -pl examples/plain-servlet -am compile exec:java} on http://localhost:8080.
 *
 * <p>The port is the system property {@code port}, else the environment variable {@code PORT}, else 8080;
 * {@code 0} takes any free port, which {@link #port()} tells.
 */
public final class ExampleServer implements AutoCloseable {

    private static final int DEFAULT_PORT = 8080;

    private final Server jetty;
    private final ServerConnector http;

    private ExampleServer(Server jetty, ServerConnector http) {
        this.jetty = jetty;
        this.http = http;
    }

    public static void main(String[] args) throws Exception {
        ExampleServer server = start(configuredPort());
        System.out.println("flow-pubsub example on http://localhost:" + server.port() + "/ (Ctrl+C stops it)");
        server.jetty.join();
    }

    /** Starts the server on every network interface; see {@link #start(String, int)}. */
    public static ExampleServer start(int port) throws Exception {
        return start(null, port);
    }

    /**
     * Starts the server on {@code host} ({@code null} for every interface) and {@code port} (0 for any free one),
     * and returns once the application is ready.
     */
    public static ExampleServer start(String host, int port) throws Exception {
        Server jetty = new Server();
        ServerConnector http = new ServerConnector(jetty);
        http.setHost(host);
        http.setPort(port);
        jetty.addConnector(http);

        WebAppContext app = new WebAppContext();
        app.setContextPath("/");
        app.setBaseResource(ResourceFactory.of(app).newClassLoaderResource("webapp")); // static files, if any
        app.setThrowUnavailableOnStartupException(true); // a failed start fails here, not with 503 later
        // Vaadin sets itself up through servlet container initializers, which a container finds by scanning the
        // application's classes and jars, as it does for a war: here the class path is the application.
        app.setAttribute(MetaInfConfiguration.CONTAINER_JAR_PATTERN, ".*\\.jar|.*/classes/.*");
        ServletHolder vaadin = app.addServlet(VaadinServlet.class, "/*");
        vaadin.setAsyncSupported(true); // push
        vaadin.setInitOrder(1); // at startup, so the clock runs before the first page is opened
        jetty.setHandler(app);
        jetty.setStopAtShutdown(true); // Ctrl+C: Vaadin's service is destroyed, which stops the clock and the hub

        jetty.start();
        return new ExampleServer(jetty, http);
    }

    /** The port the server listens on. */
    public int port() {
        return http.getLocalPort();
    }

    /** Stops the server: Vaadin's service is destroyed, and with it the clock and the hub. */
    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Jetty stopped", e);
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop cleanly", e);
        }
    }

    private static int configuredPort() {
        String port = System.getProperty("port", System.getenv("PORT"));
        return port == null || port.isBlank() ? DEFAULT_PORT : Integer.parseInt(port.strip());
    }
}
