package io.streamcontrol.job.source;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.spark.connector.cql.CassandraConnector;
import io.streamcontrol.job.cassandra.CurrentConnection;
import io.streamcontrol.job.stop.StopRequests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.receiver.Receiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reliable TCP line receiver for partition {@code source} of {@code partitions}.
 *
 * <p>With {@code resume} on it sends the {@link ResumeProtocol} handshake with the last sequence it durably stored,
 * expects framed lines, stores them in blocks (with the write-ahead log on, {@code store} returns once the block is
 * in the log) and only then records the block's last sequence in Cassandra. After any crash the source replays from
 * there; lines replayed twice are dropped downstream by sequence. Without resume (or when the source does not frame
 * its lines) every line gets a local sequence: plain TCP, at-most-once.
 */
public final class ResumableSocketReceiver extends Receiver<ReceivedLine> {

    private static final Logger LOG = LoggerFactory.getLogger(ResumableSocketReceiver.class);
    private static final int MAX_BLOCK_LINES = 5_000;
    private static final int READ_TIMEOUT_MS = 50;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final String host;
    private final int port;
    private final int source;
    private final int partitions;
    private final boolean resume;
    private final int maxLineLength;
    private final long flushMillis;
    private final long drainCheckMillis;
    /** Not final: a receiver recovered from a checkpoint takes the driver's current connection (readObject). */
    private CassandraConnector connector;
    private final String keyspace;
    private final String jobName;

    private transient volatile Socket socket;
    private transient volatile Thread reader;

    public ResumableSocketReceiver(String host, int port, int source, int partitions, boolean resume, int maxLineLength,
            long flushMillis, long drainCheckMillis, CassandraConnector connector, String keyspace, String jobName) {
        super(StorageLevel.MEMORY_AND_DISK_SER());
        this.host = host;
        this.port = port;
        this.source = source;
        this.partitions = partitions;
        this.resume = resume;
        this.maxLineLength = maxLineLength;
        this.flushMillis = flushMillis;
        this.drainCheckMillis = drainCheckMillis;
        this.connector = connector;
        this.keyspace = keyspace;
        this.jobName = jobName;
    }

    private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        connector = CurrentConnection.orElse(connector);
    }

    @Override
    public void onStart() {
        reader = new Thread(this::receive, "receiver-" + source + "-" + host + ":" + port);
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void onStop() {
        Socket open = socket;
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // closing to unblock the reader
            }
        }
        Thread thread = reader;
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void receive() {
        try (CqlSession session = connector.openSession()) {
            SourceTable sources = new SourceTable(session, keyspace, jobName);
            StopRequests stops = new StopRequests(session, keyspace, jobName);
            if (stops.drainingSince().isEmpty()) {
                long lastStored = resume ? sources.lastStored(source) : ResumeProtocol.NOTHING_RECEIVED;
                try (Socket s = new Socket()) {
                    socket = s;
                    s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
                    s.setSoTimeout(READ_TIMEOUT_MS);
                    s.setReceiveBufferSize(1 << 20);
                    if (resume) {
                        OutputStream out = s.getOutputStream();
                        out.write((new ResumeProtocol.Hello(source, partitions, lastStored).toLine() + "\n")
                                .getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    LOG.info("Receiver {} connected to {}:{} (resume {}, last stored sequence {})", source, host, port,
                            resume, lastStored);
                    if (!readUntilDrainOrStop(s.getInputStream(), sources, stops)) {
                        if (!isStopped()) {
                            restart("source " + host + ":" + port + " closed the connection");
                        }
                        return;
                    }
                }
            }
            sources.drained(source, Instant.now());
            LOG.info("Receiver {} drained: everything it read is stored", source);
            while (!isStopped()) {
                Thread.sleep(drainCheckMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (!isStopped()) {
                restart("receiver " + source + " lost " + host + ":" + port + ": " + e.getMessage(), e);
            }
        } finally {
            socket = null;
        }
    }

    /**
     * Reads and stores lines until the job drains (true), the receiver stops (true) or the source closes (false).
     * Everything read is stored before returning.
     */
    private boolean readUntilDrainOrStop(InputStream in, SourceTable sources, StopRequests stops) throws IOException {
        Block block = new Block(sources);
        LineSplitter splitter = new LineSplitter(maxLineLength + 1);
        byte[] buffer = new byte[64 * 1024];
        long plainSeq = System.currentTimeMillis() * 1_000_000L;
        Boolean framed = resume ? null : Boolean.FALSE;
        long lastFlush = System.currentTimeMillis();
        long lastDrainCheck = lastFlush;
        try {
            while (!isStopped()) {
                int read;
                try {
                    read = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    read = 0;
                } catch (IOException e) {
                    if (isStopped()) {
                        return true;
                    }
                    throw e;
                }
                if (read < 0) {
                    return false;
                }
                long now = System.currentTimeMillis();
                List<String> lines = new ArrayList<>();
                splitter.feed(buffer, read, lines::add);
                for (String line : lines) {
                    if (framed == null) {
                        framed = ResumeProtocol.unframe(line).isPresent();
                        if (!framed) {
                            LOG.warn("Source {}:{} does not frame its lines: receiving plain lines (at-most-once)",
                                    host, port);
                        }
                    }
                    Optional<ResumeProtocol.Framed> frame = framed ? ResumeProtocol.unframe(line) : Optional.empty();
                    if (frame.isPresent()) {
                        block.add(new ReceivedLine(source, frame.get().seq(), now, frame.get().payload()));
                    } else {
                        block.add(new ReceivedLine(source, plainSeq++, now, line));
                    }
                }
                if (block.size() >= MAX_BLOCK_LINES || (block.size() > 0 && now - lastFlush >= flushMillis)) {
                    block.flush();
                    lastFlush = now;
                }
                if (now - lastDrainCheck >= drainCheckMillis) {
                    lastDrainCheck = now;
                    if (stops.drainingSince().isPresent()) {
                        return true;
                    }
                }
            }
            return true;
        } finally {
            block.flush();
        }
    }

    /** Lines gathered since the last store. */
    private final class Block {
        private final SourceTable sources;
        private List<ReceivedLine> lines = new ArrayList<>();

        Block(SourceTable sources) {
            this.sources = sources;
        }

        void add(ReceivedLine line) {
            lines.add(line);
        }

        int size() {
            return lines.size();
        }

        void flush() {
            if (lines.isEmpty()) {
                return;
            }
            long last = lines.get(lines.size() - 1).seq();
            store(lines.iterator());
            sources.stored(source, last);
            lines = new ArrayList<>();
        }
    }
}
