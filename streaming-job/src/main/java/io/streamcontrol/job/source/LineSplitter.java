package io.streamcontrol.job.source;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into UTF-8 lines ('\n', optional '\r' before it). Keeps at most {@code maxBytes} of a line, so a
 * sender that never sends a newline cannot exhaust memory; such a line comes out cut at that length (which is then
 * longer than any valid line and is rejected downstream). Holding partial lines across reads means a read that times
 * out loses nothing.
 */
final class LineSplitter {

    private final int maxBytes;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream(256);
    private boolean overflowed;

    LineSplitter(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    void feed(byte[] buffer, int length, Consumer<String> lines) {
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (buffer[i] == '\n') {
                append(buffer, start, i - start);
                lines.accept(take());
                start = i + 1;
            }
        }
        append(buffer, start, length - start);
    }

    private void append(byte[] buffer, int offset, int length) {
        int room = maxBytes - current.size();
        if (length > room) {
            overflowed = true;
        }
        current.write(buffer, offset, Math.max(0, Math.min(length, room)));
    }

    private String take() {
        byte[] bytes = current.toByteArray();
        int length = bytes.length;
        if (!overflowed && length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        current.reset();
        overflowed = false;
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
