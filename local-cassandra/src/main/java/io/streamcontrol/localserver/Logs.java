package io.streamcontrol.localserver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a server's log files; an offset skips what earlier runs appended. */
public final class Logs {

    private static final long MAX_READ = 16L * 1024 * 1024;

    private Logs() {
    }

    public static boolean contains(Path log, long offset, String text) {
        return read(log, offset).contains(text);
    }

    public static String tail(Path log, long offset, int lines) {
        List<String> all = read(log, offset).lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static String read(Path log, long offset) {
        if (!Files.exists(log)) {
            return "";
        }
        try (SeekableByteChannel channel = Files.newByteChannel(log)) {
            long size = channel.size();
            if (offset >= size) {
                return "";
            }
            long from = Math.max(offset, size - MAX_READ);
            channel.position(from);
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - from));
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // read to the end
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }
}
