package io.streamcontrol.generator;

import io.streamcontrol.contract.source.ResumeProtocol;
import io.streamcontrol.contract.source.ResumeProtocol.Hello;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Serves the events of a {@link SalesEventSource} over TCP on 127.0.0.1, one line per event, to any number of
 * concurrent clients, each on its own thread. A client that sends a {@link ResumeProtocol} handshake within
 * {@link #HELLO_WAIT} gets its partition's events after its last sequence, framed; any other client gets every event
 * from sequence 0 as plain payload lines. Events are generated only while written to a connection.
 *
 * <p>Each connection is paced on its own at {@code rate / partitions} events per second and stops emitting at
 * {@code count} or after {@code duration}, but stays open (idle) until the client leaves, so receivers do not
 * reconnect in a loop. Pacing goes by {@link #TICK}s, not by event: each wake-up writes every event that has come
 * due, in socket writes of about {@link #CHUNK_BYTES} at most, so at high rates a client's read carries hundreds of
 * lines; at low rates the connection wakes at each event's due time.
 */
public final class GeneratorServer implements AutoCloseable {

    static final Duration HELLO_WAIT = Duration.ofMillis(500);
    /** An event goes out about this long after its due time at most. */
    static final Duration TICK = Duration.ofMillis(10);
    /** Lines are written to the socket once they fill this much, else at the end of a tick. */
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final int MAX_HELLO_LENGTH = 200;
    private static final long TICK_NANOS = TICK.toNanos();
    private static final long AWAIT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

    private final GeneratorSettings settings;
    private final SalesEventSource source;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong emitted = new AtomicLong();
    private volatile boolean closed;
    private ServerSocket serverSocket;
    private Thread acceptThread;

    private record Connection(Socket socket, Thread thread) {
    }

    public GeneratorServer(GeneratorSettings settings) {
        this.settings = settings;
        this.source = new SalesEventSource(settings);
    }

    /** Binds 127.0.0.1:port and starts accepting clients. */
    public synchronized GeneratorServer start() throws IOException {
        if (serverSocket != null || closed) {
            throw new IllegalStateException("generator server already started");
        }
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        serverSocket = socket;
        acceptThread = new Thread(this::acceptClients, "generator-accept-" + port());
        acceptThread.start();
        return this;
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    public GeneratorSettings settings() {
        return settings;
    }

    public SalesEventSource source() {
        return source;
    }

    /** Lines written and flushed to clients so far, over all connections. */
    public long emitted() {
        return emitted.get();
    }

    /** Connections currently open. */
    public int connections() {
        return connections.size();
    }

    public boolean isOpen() {
        return serverSocket != null && !closed;
    }

    /** Waits until {@link #emitted()} reaches {@code lines}; false on timeout. */
    public boolean awaitEmitted(long lines, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (emitted() < lines) {
            if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(AWAIT_POLL_NANOS);
        }
        return true;
    }

    /** Stops accepting, closes every connection and waits for their threads. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (serverSocket == null) {
            return;
        }
        closeQuietly(serverSocket);
        join(acceptThread);
        // the accept thread is gone, so the set of connections no longer grows
        List<Connection> open = new ArrayList<>(connections);
        for (Connection connection : open) {
            closeQuietly(connection.socket());
            connection.thread().interrupt();
        }
        for (Connection connection : open) {
            join(connection.thread());
        }
    }

    private void acceptClients() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("generator: accept failed, no longer accepting clients: " + e);
                }
                return;
            }
            Thread thread = new Thread(() -> serve(socket), "generator-connection-" + socket.getPort());
            Connection connection = new Connection(socket, thread);
            connections.add(connection);
            thread.start();
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            Optional<Hello> hello = ResumeProtocol.parseHello(readFirstLine(socket));
            emit(hello, new Chunk(socket.getOutputStream()));
            idleUntilClientLeaves(socket.getInputStream());
        } catch (IOException e) {
            // the client went away or the server is closing: either way this connection is over
        } finally {
            connections.removeIf(connection -> connection.socket() == socket);
        }
    }

    /** The client's first line if it sends one within {@link #HELLO_WAIT}, else null. */
    private static String readFirstLine(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        long deadline = System.nanoTime() + HELLO_WAIT.toNanos();
        try {
            while (line.length() < MAX_HELLO_LENGTH) {
                long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMillis <= 0) {
                    return null;
                }
                socket.setSoTimeout((int) remainingMillis);
                int c = in.read();
                if (c == '\n' || c == -1) {
                    return line.toString();
                }
                line.append((char) c);
            }
            return null;
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(0);
        }
    }

    private void emit(Optional<Hello> hello, Chunk out) throws IOException {
        boolean framed = hello.isPresent();
        long step = hello.map(Hello::partitions).orElse(1);
        long n = hello.map(Hello::firstWanted).orElse(0L);
        double nanosPerEvent = settings.rate() > 0 ? 1e9 * step / settings.rate() : 0;
        long durationNanos = settings.duration().toNanos();
        long start = System.nanoTime();
        long sent = 0;
        while (!closed && wanted(n)) {
            long now = System.nanoTime();
            if (!settings.unlimitedDuration() && now - start >= durationNanos) {
                break;
            }
            // each event has a fixed due time from the connection's start, so pacing never drifts
            while (!out.isFull() && wanted(n) && (long) (sent * nanosPerEvent) <= now - start) {
                out.addLine(framed, n);
                n += step;
                sent++;
            }
            boolean full = out.isFull(); // more events are due: write on without waiting
            out.flush();
            if (!full) {
                // one tick gathers the events due within it, also when the connection runs a little behind (waking
                // again at once would write a line or two per write for as long as it stays behind); a later event is
                // waited for, so it goes out on time
                parkUntil(Math.max(now + TICK_NANOS, start + (long) (sent * nanosPerEvent)));
            }
        }
    }

    private boolean wanted(long seq) {
        return settings.unlimitedCount() || seq < settings.count();
    }

    private void parkUntil(long deadline) {
        for (long left = deadline - System.nanoTime(); left > 0 && !closed; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private static void idleUntilClientLeaves(InputStream in) throws IOException {
        byte[] ignored = new byte[1024];
        while (in.read(ignored) != -1) {
            // whatever the client sends after the handshake means nothing
        }
    }

    /** The lines of one socket write; they count into {@link #emitted} once written. */
    private final class Chunk {
        private final OutputStream out;
        private final LineBuffer lines = new LineBuffer(CHUNK_BYTES + CHUNK_BYTES / 4);
        private long count;

        Chunk(OutputStream out) {
            this.out = out;
        }

        boolean isFull() {
            return lines.length() >= CHUNK_BYTES;
        }

        /** Event {@code seq}'s line; framed as {@link ResumeProtocol#frame} frames it. */
        void addLine(boolean framed, long seq) {
            if (framed) {
                lines.append(seq).append(' ');
            }
            source.appendPayload(seq, lines);
            lines.append('\n');
            count++;
        }

        void flush() throws IOException {
            if (count > 0) {
                lines.writeTo(out);
                emitted.addAndGet(count);
                lines.clear();
                count = 0;
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(JOIN_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
