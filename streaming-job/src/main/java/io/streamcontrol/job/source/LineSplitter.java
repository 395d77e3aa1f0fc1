package io.streamcontrol.job.source;

/**
 * Cuts a byte stream into lines ('\n', optional '\r' before it) and hands each one over as a range of bytes, not
 * decoded: a line that lies whole in one read is handed over in place, without a copy. Keeps at most {@code maxBytes}
 * of a line, so a sender that never sends a newline cannot exhaust memory; such a line comes out cut at that length
 * (which is then longer than any valid line and is rejected downstream). Holding partial lines across reads means a
 * read that times out loses nothing.
 */
final class LineSplitter {

    /** Receives each line as {@code length} bytes of {@code bytes} from {@code offset}, valid during the call only. */
    interface Lines {
        void line(byte[] bytes, int offset, int length);
    }

    private final int maxBytes;
    private byte[] partial = new byte[256];
    private int partialLength;
    private boolean overflowed;

    LineSplitter(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    void feed(byte[] buffer, int length, Lines lines) {
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (buffer[i] == '\n') {
                if (partialLength == 0 && !overflowed) {
                    int lineLength = Math.min(i - start, maxBytes);
                    emit(buffer, start, lineLength, lineLength < i - start, lines);
                } else {
                    append(buffer, start, i - start);
                    emit(partial, 0, partialLength, overflowed, lines);
                    partialLength = 0;
                    overflowed = false;
                }
                start = i + 1;
            }
        }
        append(buffer, start, length - start);
    }

    private static void emit(byte[] bytes, int offset, int length, boolean cut, Lines lines) {
        if (!cut && length > 0 && bytes[offset + length - 1] == '\r') {
            length--;
        }
        lines.line(bytes, offset, length);
    }

    private void append(byte[] buffer, int offset, int length) {
        int room = maxBytes - partialLength;
        if (length > room) {
            overflowed = true;
        }
        int taken = Math.max(0, Math.min(length, room));
        if (partialLength + taken > partial.length) {
            partial = java.util.Arrays.copyOf(partial, Math.max(partialLength + taken, partial.length * 2));
        }
        System.arraycopy(buffer, offset, partial, partialLength, taken);
        partialLength += taken;
    }
}
