package dev.flowpubsub.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy in front of a server (Redis, PostgreSQL), so a test can cut one node's network to it while the
 * other nodes stay connected: {@link #cut()} drops every connection and refuses new ones, {@link #restore()} listens
 * again on the same port. While the server itself is down, a connection to the proxy is closed at once, as the
 * server's refusal would be.
 */
public final class TcpProxy implements AutoCloseable {

    private final int port = ServerProcess.freePort();
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;

    public TcpProxy(int targetPort) {
        this.targetPort = targetPort;
        restore();
    }

    public int port() {
        return port;
    }

    /** Listens (again) on the proxy's port and forwards each connection to the target. */
    public synchronized void restore() {
        if (listener != null) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listener = socket;
            Thread.ofVirtual().start(() -> accept(socket));
        } catch (IOException e) {
            throw new IllegalStateException("proxy could not listen on " + port, e);
        }
    }

    /** Drops every open connection and refuses new ones, as a network outage would for this node only. */
    public synchronized void cut() {
        try {
            if (listener != null) {
                listener.close();
            }
        } catch (IOException ignored) {
            // closing
        }
        listener = null;
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        sockets.clear();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException closed) {
                continue; // cut: the loop ends
            }
            Socket server = new Socket();
            try {
                // bounded: a frozen target's full backlog must not stall every later connection to the proxy
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 10_000);
            } catch (IOException refused) {
                closeQuietly(server);
                closeQuietly(client); // the target is down: the client sees its connection drop and retries
                continue;
            }
            synchronized (this) {
                if (socket.isClosed()) {
                    // cut while this one was being connected: it must not outlive the cut
                    closeQuietly(client);
                    closeQuietly(server);
                    continue;
                }
                sockets.add(client);
                sockets.add(server);
            }
            Thread.ofVirtual().start(() -> pump(client, server));
            Thread.ofVirtual().start(() -> pump(server, client));
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException closed) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from); // a long run reconnects often: keep only the open ones
            sockets.remove(to);
        }
    }

    @Override
    public void close() {
        cut();
    }
}
