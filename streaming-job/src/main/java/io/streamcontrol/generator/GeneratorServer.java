package io.streamcontrol.generator;

import io.streamcontrol.job.source.ResumeProtocol;
import io.streamcontrol.job.source.ResumeProtocol.Hello;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
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
 * reconnect in a loop.
 */
public final class GeneratorServer implements AutoCloseable {

    static final Duration HELLO_WAIT = Duration.ofMillis(500);
    private static final int MAX_HELLO_LENGTH = 200;
    private static final long FLUSH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int WRITE_BUFFER_CHARS = 256 * 1024;
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
            LockSupport.parkNanos(MAX_SLEEP_NANOS);
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
            Writer out = new BufferedWriter(
                    new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), WRITE_BUFFER_CHARS);
            emit(hello, new CountingWriter(out));
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

    private void emit(Optional<Hello> hello, CountingWriter out) throws IOException {
        boolean framed = hello.isPresent();
        long step = hello.map(Hello::partitions).orElse(1);
        long n = hello.map(Hello::firstWanted).orElse(0L);
        double nanosPerEvent = settings.rate() > 0 ? 1e9 * step / settings.rate() : 0;
        long durationNanos = settings.duration().toNanos();
        long start = System.nanoTime();
        long sent = 0;
        while (!closed && (settings.unlimitedCount() || n < settings.count())) {
            long now = System.nanoTime();
            if (!settings.unlimitedDuration() && now - start >= durationNanos) {
                break;
            }
            // each event has a fixed due time from the connection's start, so pacing never drifts
            long due = start + (long) (sent * nanosPerEvent);
            if (now < due) {
                out.flush();
                LockSupport.parkNanos(Math.min(due - now, MAX_SLEEP_NANOS));
                continue;
            }
            String payload = source.line(n).payload();
            out.writeLine(framed ? ResumeProtocol.frame(n, payload) : payload);
            if (now - out.lastFlush >= FLUSH_INTERVAL_NANOS) {
                out.flush();
            }
            n += step;
            sent++;
        }
        out.flush();
    }

    private static void idleUntilClientLeaves(InputStream in) throws IOException {
        byte[] ignored = new byte[1024];
        while (in.read(ignored) != -1) {
            // whatever the client sends after the handshake means nothing
        }
    }

    /**
     * Counts lines into {@link #emitted} when they reach the socket. It flushes before the buffer would overflow, so
     * the buffered writer never flushes uncounted lines on its own.
     */
    private final class CountingWriter {
        private final Writer out;
        private long unflushedLines;
        private long unflushedChars;
        long lastFlush = System.nanoTime();

        CountingWriter(Writer out) {
            this.out = out;
        }

        void writeLine(String line) throws IOException {
            if (unflushedChars + line.length() + 1 >= WRITE_BUFFER_CHARS) {
                flush();
            }
            out.write(line);
            out.write('\n');
            unflushedLines++;
            unflushedChars += line.length() + 1;
        }

        void flush() throws IOException {
            if (unflushedLines > 0) {
                out.flush();
                emitted.addAndGet(unflushedLines);
                unflushedLines = 0;
                unflushedChars = 0;
            }
            lastFlush = System.nanoTime();
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
