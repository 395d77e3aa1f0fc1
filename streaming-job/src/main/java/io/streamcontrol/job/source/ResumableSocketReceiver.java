package io.streamcontrol.job.source;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.spark.connector.cql.CassandraConnector;
import com.google.common.util.concurrent.RateLimiter;
import io.streamcontrol.contract.settings.JobSettings;
import io.streamcontrol.contract.source.ResumeProtocol;
import io.streamcontrol.contract.tables.StopRequests;
import io.streamcontrol.job.cassandra.CurrentConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.receiver.Receiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reliable TCP line receiver for partition {@code source} of {@code partitions}.
 *
 * <p>With {@code resume} on it sends the {@link ResumeProtocol} handshake with the last sequence the job committed (or,
 * reconnecting within a run, the last one it stored, which this driver is still to process), expects framed lines and
 * stores them in memory: a crash loses them, and the restarted driver's receivers ask for them again from the last
 * commit. Lines received twice are dropped downstream by sequence. Without resume (or when the source does not frame
 * its lines) every line gets a local sequence and only the receiver write-ahead log keeps it: plain TCP.
 */
public final class ResumableSocketReceiver extends Receiver<ReceivedLine> {

    private static final Logger LOG = LoggerFactory.getLogger(ResumableSocketReceiver.class);
    private static final int MAX_BLOCK_LINES = 5_000;
    private static final int READ_TIMEOUT_MS = 50;
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_AHEAD_BATCHES = 4;
    private static final Duration MIN_READ_AHEAD = Duration.ofSeconds(10);

    private final String host;
    private final int port;
    private final int source;
    private final int partitions;
    private final boolean resume;
    private final int maxLineLength;
    private final long flushMillis;
    private final long drainCheckMillis;
    private final long maxLinesPerSecond;
    private final long maxReadAheadMillis;
    /** Not final: a receiver recovered from a checkpoint takes the driver's current connection (readObject). */
    private CassandraConnector connector;
    private final String keyspace;
    private final String jobName;

    /** The last sequence stored in this run; blocks stored but not yet processed are not asked for again. */
    private volatile long lastStored = ResumeProtocol.NOTHING_RECEIVED;
    private transient volatile Socket socket;
    private transient volatile Thread reader;

    /** The receiver of partition {@code source} of the source {@code settings} name. */
    public ResumableSocketReceiver(JobSettings settings, int source, CassandraConnector connector) {
        // serialized: a block kept as objects is measured object by object (SizeEstimator), which costs the receiver
        // far more than writing each line once with Kryo
        super(StorageLevel.MEMORY_AND_DISK_SER());
        this.host = settings.sourceHost();
        this.port = settings.sourcePort();
        this.source = source;
        this.partitions = settings.receivers();
        this.resume = settings.resume();
        this.maxLineLength = settings.maxLineLength();
        this.flushMillis = settings.blockInterval().toMillis();
        this.drainCheckMillis = settings.stopPollInterval().toMillis();
        this.maxLinesPerSecond = settings.receiverMaxRate();
        this.maxReadAheadMillis = settings.backpressure() ? maxReadAhead(settings.batchInterval()).toMillis() : 0;
        this.connector = connector;
        this.keyspace = settings.keyspace();
        this.jobName = settings.jobName();
    }

    /**
     * With backpressure, how long a stored block may wait for its commit before the receiver stops reading: a job
     * that keeps up commits each line within two batch intervals of receiving it.
     */
    static Duration maxReadAhead(Duration batchInterval) {
        Duration batches = batchInterval.multipliedBy(READ_AHEAD_BATCHES);
        return batches.compareTo(MIN_READ_AHEAD) < 0 ? MIN_READ_AHEAD : batches;
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
                long resumeAfter = resume ? Math.max(sources.processed(source), lastStored)
                        : ResumeProtocol.NOTHING_RECEIVED;
                try (Socket s = new Socket()) {
                    socket = s;
                    s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
                    s.setSoTimeout(READ_TIMEOUT_MS);
                    s.setReceiveBufferSize(1 << 20);
                    if (resume) {
                        OutputStream out = s.getOutputStream();
                        out.write((new ResumeProtocol.Hello(source, partitions, resumeAfter).toLine() + "\n")
                                .getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    LOG.info("Receiver {} connected to {}:{} (resume {}, after sequence {})", source, host, port,
                            resume, resumeAfter);
                    if (!readUntilDrainOrStop(s.getInputStream(), stops, sources)) {
                        if (!isStopped()) {
                            restart("source " + host + ":" + port + " closed the connection");
                        }
                        return;
                    }
                }
            }
            sources.drained(source, Instant.now(), lastStored);
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
     * Reads and stores lines until the job drains (true), the receiver stops (true) or the source closes (false), at
     * most {@code maxLinesPerSecond} and, with a read-ahead bound, not further ahead of the job's commits than that.
     * Everything read is stored before returning.
     */
    private boolean readUntilDrainOrStop(InputStream in, StopRequests stops, SourceTable sources) throws IOException {
        ReadAhead readAhead = new ReadAhead(maxReadAheadMillis);
        RateLimiter rate = maxLinesPerSecond > 0 ? RateLimiter.create(maxLinesPerSecond) : null;
        Block block = new Block(readAhead);
        LineSplitter splitter = new LineSplitter(maxLineLength + 1);
        byte[] buffer = new byte[64 * 1024];
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
                block.receivedAt = now;
                int before = block.size();
                splitter.feed(buffer, read, block);
                if (rate != null && block.size() > before) {
                    rate.acquire(block.size() - before);
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
                    if (readAhead.isBounded()) {
                        readAhead.committed(sources.processed(source), now);
                    }
                }
                if (readAhead.tooFarAhead(now)) {
                    block.flush();
                    if (awaitCommitsOrDrain(readAhead, stops, sources)) {
                        return true;
                    }
                    lastFlush = System.currentTimeMillis();
                }
            }
            return true;
        } finally {
            block.flush();
        }
    }

    /** Waits, reading nothing, until the job has caught up (false) or drains (true). */
    private boolean awaitCommitsOrDrain(ReadAhead readAhead, StopRequests stops, SourceTable sources) {
        LOG.info("Receiver {} waits for the job to commit what it stored before reading more (backpressure)", source);
        while (!isStopped() && readAhead.tooFarAhead(System.currentTimeMillis())) {
            try {
                Thread.sleep(drainCheckMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
            if (stops.drainingSince().isPresent()) {
                return true;
            }
            readAhead.committed(sources.processed(source), System.currentTimeMillis());
        }
        return false;
    }

    /**
     * Lines gathered since the last store. A framed line keeps its sequence and only its payload is decoded; a plain
     * one gets the next local sequence.
     */
    private final class Block implements LineSplitter.Lines {
        private final ReadAhead readAhead;
        private List<ReceivedLine> lines = new ArrayList<>();
        private Boolean framed = resume ? null : Boolean.FALSE;
        private long plainSeq = System.currentTimeMillis() * 1_000_000L;
        long receivedAt;

        Block(ReadAhead readAhead) {
            this.readAhead = readAhead;
        }

        @Override
        public void line(byte[] bytes, int offset, int length) {
            OptionalLong seq = framed == Boolean.FALSE ? OptionalLong.empty()
                    : ResumeProtocol.sequence(bytes, offset, length);
            if (framed == null) {
                framed = seq.isPresent();
                if (!framed) {
                    LOG.warn("Source {}:{} does not frame its lines: receiving plain lines (at-most-once)", host, port);
                }
            }
            if (seq.isPresent()) {
                int skip = payloadStart(bytes, offset, length);
                lines.add(new ReceivedLine(source, seq.getAsLong(), receivedAt,
                        new String(bytes, skip, offset + length - skip, StandardCharsets.UTF_8)));
            } else {
                lines.add(new ReceivedLine(source, plainSeq++, receivedAt,
                        new String(bytes, offset, length, StandardCharsets.UTF_8)));
            }
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
            lastStored = last;
            readAhead.stored(last, System.currentTimeMillis());
            lines = new ArrayList<>();
        }
    }

    /** Where the payload of a framed line starts: after its first space. */
    private static int payloadStart(byte[] bytes, int offset, int length) {
        int i = offset;
        while (bytes[i] != ' ') {
            i++;
        }
        return i + 1;
    }
}
