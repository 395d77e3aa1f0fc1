package io.streamcontrol.control.jobs.lifecycle;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The end of a driver log, read from the end of the file (logs of long runs are large). */
final class LogTail {

    private static final int CHUNK = 64 * 1024;

    private LogTail() {
    }

    static List<String> lastLines(Path file, int lines) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long end = in.length();
            long start = end;
            byte[] data = new byte[0];
            while (start > 0 && countNewlines(data) <= lines) {
                long from = Math.max(0, start - CHUNK);
                byte[] chunk = new byte[(int) (start - from)];
                in.seek(from);
                in.readFully(chunk);
                byte[] joined = new byte[chunk.length + data.length];
                System.arraycopy(chunk, 0, joined, 0, chunk.length);
                System.arraycopy(data, 0, joined, chunk.length, data.length);
                data = joined;
                start = from;
            }
            List<String> all = new ArrayList<>(Arrays.asList(new String(data, StandardCharsets.UTF_8).split("\r?\n", -1)));
            if (!all.isEmpty() && all.get(all.size() - 1).isEmpty()) {
                all.remove(all.size() - 1);
            }
            if (start > 0 && !all.isEmpty()) {
                all.remove(0); // partial first line
            }
            return all.subList(Math.max(0, all.size() - lines), all.size());
        }
    }

    /**
     * The last line of the log's end that reports an error or exception, if any; never a line of a stack trace
     * ({@code at ...}), which only says where.
     */
    static Optional<String> lastError(String file) {
        if (file == null) {
            return Optional.empty();
        }
        try {
            List<String> lines = lastLines(Path.of(file), 300);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i);
                if (line.stripLeading().startsWith("at ")) {
                    continue;
                }
                if (line.contains("Exception") || line.contains(" ERROR ") || line.startsWith("Error")) {
                    return Optional.of(line.length() > 500 ? line.substring(0, 500) : line);
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int countNewlines(byte[] data) {
        int count = 0;
        for (byte b : data) {
            if (b == '\n') {
                count++;
            }
        }
        return count;
    }
}
