package io.streamcontrol.contract.source;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The optional resume handshake between a receiver (client) and a source (server), one text line each way:
 *
 * <pre>
 * client, once, right after connecting:  RESUME &lt;partition&gt; &lt;partitions&gt; &lt;lastSeq&gt;\n
 * server, then for every event:          &lt;seq&gt; &lt;payload&gt;\n
 * </pre>
 *
 * The client owns partition {@code partition} of {@code partitions} (sequence numbers {@code seq % partitions ==
 * partition}) and has durably received everything up to {@code lastSeq} (-1 for nothing). The server sends, in
 * increasing order, every sequence of that partition above {@code lastSeq}. A client that sends no handshake gets
 * plain payload lines; a server that does not understand it simply ignores the line.
 */
public final class ResumeProtocol {

    public static final String VERB = "RESUME";
    public static final long NOTHING_RECEIVED = -1;

    private ResumeProtocol() {
    }

    public record Hello(int partition, int partitions, long lastSeq) {
        public Hello {
            if (partitions < 1 || partition < 0 || partition >= partitions || lastSeq < NOTHING_RECEIVED) {
                throw new IllegalArgumentException("invalid resume handshake: partition " + partition + " of "
                        + partitions + ", last sequence " + lastSeq);
            }
        }

        public String toLine() {
            return VERB + " " + partition + " " + partitions + " " + lastSeq;
        }

        public boolean owns(long seq) {
            return seq % partitions == partition;
        }

        /** The first sequence this client still needs. */
        public long firstWanted() {
            long next = lastSeq + 1;
            long offset = Math.floorMod(partition - next, (long) partitions);
            return next + offset;
        }
    }

    /** Parses a handshake line; empty if the line is not one. */
    public static Optional<Hello> parseHello(String line) {
        if (line == null) {
            return Optional.empty();
        }
        String[] parts = line.trim().split(" ");
        if (parts.length != 4 || !parts[0].equals(VERB)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Hello(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Long.parseLong(parts[3])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static String frame(long seq, String payload) {
        return seq + " " + payload;
    }

    /** A framed line split into its sequence and payload; empty when the line carries no valid sequence. */
    public record Framed(long seq, String payload) {
    }

    /**
     * The sequence of a framed line given as bytes, as {@link #unframe(String)} reads it: the payload starts after the
     * first space. Empty when the line carries no valid sequence.
     */
    public static OptionalLong sequence(byte[] line, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (line[i] == ' ') {
                if (i == offset) {
                    return OptionalLong.empty();
                }
                try {
                    return OptionalLong.of(Long.parseLong(new String(line, offset, i - offset,
                            StandardCharsets.ISO_8859_1)));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    public static Optional<Framed> unframe(String line) {
        int space = line.indexOf(' ');
        if (space <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Framed(Long.parseLong(line, 0, space, 10), line.substring(space + 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
