package dev.flowpubsub.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback TCP proxy in front of a server (Redis, PostgreSQL), so a test can cut one node's network to it while the
 * other nodes stay connected: {@link #cut()} drops every connection and refuses new ones, {@link #restore()} listens
 * again on the same port. While the server itself is down, a connection to the proxy is closed at once, as the
 * server's refusal would be.
 *
 * <p>{@link #loseReplyAfter(String)} injects a narrower fault: one request reaches the server, and its reply is lost
 * with the connection, as when a network fails between a {@code COMMIT} and its acknowledgement.
 */
public final class TcpProxy implements AutoCloseable {

    private final int port = ServerProcess.freePort();
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicReference<LostReply> armed = new AtomicReference<>();
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

    /**
     * Arms a one-time fault, for the first connection whose client sends {@code clientText} (its UTF-8 bytes, possibly
     * split across reads) after this call: those bytes still reach the server, but the client never hears back.
     * Everything the server sends on that connection from then on is dropped, and the client's side is closed as soon
     * as the server answers, so the server has done what was asked and the client cannot know it. The other
     * connections, and that one until the text, are forwarded as usual. Arming again replaces a fault not yet sprung.
     */
    public LostReply loseReplyAfter(String clientText) {
        LostReply fault = new LostReply(clientText.getBytes(StandardCharsets.UTF_8), false);
        armed.set(fault);
        return fault;
    }

    /**
     * Arms a one-time fault, for the first connection whose server sends {@code serverText} after this call (a reply
     * that says what was done, such as PostgreSQL's {@code COMMIT} command tag, whatever form the request took): that
     * reply is dropped and both sides are closed, so the server has done it and the client cannot know.
     */
    public LostReply loseReplyHolding(String serverText) {
        LostReply fault = new LostReply(serverText.getBytes(StandardCharsets.UTF_8), true);
        armed.set(fault);
        return fault;
    }

    /** A reply {@link #loseReplyAfter(String)} makes the proxy lose: whether it happened, and what was lost. */
    public static final class LostReply {

        private final byte[] trigger;
        /** Whether the trigger is in the server's reply, not in the client's request. */
        private final boolean inReply;
        private final ByteArrayOutputStream lost = new ByteArrayOutputStream();
        private volatile byte[] request = new byte[0];
        private volatile boolean happened;

        private LostReply(byte[] trigger, boolean inReply) {
            this.trigger = trigger;
            this.inReply = inReply;
        }

        /** Whether the client sent the text and the server's answer to it was dropped. */
        public boolean happened() {
            return happened;
        }

        /**
         * What the client sent in the read that completed the text, as {@link #lostReply()} shows bytes: what went
         * over the wire for the request whose answer was lost.
         */
        public String request() {
            return printable(request);
        }

        /**
         * What the server answered and the client never got, as text: printable ASCII as is, every other byte as a
         * dot (a PostgreSQL reply to {@code COMMIT} holds {@code C....COMMIT}, its command tag).
         */
        public String lostReply() {
            byte[] bytes;
            synchronized (lost) {
                bytes = lost.toByteArray();
            }
            return printable(bytes);
        }

        private static String printable(byte[] bytes) {
            StringBuilder text = new StringBuilder(bytes.length);
            for (byte b : bytes) {
                text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
            }
            return text.toString();
        }

        private void drop(byte[] buffer, int length) {
            synchronized (lost) {
                lost.write(buffer, 0, length);
            }
            happened = true;
        }
    }

    /** One forwarded connection: the fault that drops what its server sends, once sprung, and its client's last bytes. */
    private static final class Link {
        volatile LostReply dropping;
        /** The client's last bytes, so a trigger split across two reads is still found. */
        byte[] tail = new byte[0];
        /** The server's last bytes, likewise. */
        byte[] serverTail = new byte[0];
        /** What the client sent last, for {@link LostReply#request()}. */
        volatile byte[] lastRequest = new byte[0];
    }

    /** Springs an armed fault whose trigger is in the server's reply: whether this read is to be dropped. */
    private boolean watchServer(Link link, byte[] buffer, int read) {
        LostReply fault = armed.get();
        if (fault == null || !fault.inReply || link.dropping != null) {
            return false;
        }
        byte[] window = Arrays.copyOf(link.serverTail, link.serverTail.length + read);
        System.arraycopy(buffer, 0, window, link.serverTail.length, read);
        int keep = Math.min(window.length, fault.trigger.length - 1);
        link.serverTail = Arrays.copyOfRange(window, window.length - keep, window.length);
        if (indexOf(window, fault.trigger) >= 0 && armed.compareAndSet(fault, null)) {
            fault.request = link.lastRequest;
            link.dropping = fault;
            return true;
        }
        return false;
    }

    /** Springs the armed fault on this connection if the client's bytes, with those just before, hold its text. */
    private void watchClient(Link link, byte[] buffer, int read) {
        link.lastRequest = Arrays.copyOf(buffer, read);
        LostReply fault = armed.get();
        if (fault == null || fault.inReply || link.dropping != null) {
            return;
        }
        byte[] window = Arrays.copyOf(link.tail, link.tail.length + read);
        System.arraycopy(buffer, 0, window, link.tail.length, read);
        int keep = Math.min(window.length, fault.trigger.length - 1);
        link.tail = Arrays.copyOfRange(window, window.length - keep, window.length);
        if (indexOf(window, fault.trigger) >= 0 && armed.compareAndSet(fault, null)) {
            fault.request = Arrays.copyOf(buffer, read);
            link.dropping = fault; // before the bytes go on: the server's answer cannot pass
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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
            Link link = new Link();
            Thread.ofVirtual().start(() -> pump(client, server, link, true));
            Thread.ofVirtual().start(() -> pump(server, client, link, false));
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    private void pump(Socket from, Socket to, Link link, boolean fromClient) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (fromClient) {
                    watchClient(link, buffer, read);
                } else if (link.dropping != null || watchServer(link, buffer, read)) {
                    link.dropping.drop(buffer, read);
                    break; // closes both sides: the client sees its connection drop, without the answer
                }
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
