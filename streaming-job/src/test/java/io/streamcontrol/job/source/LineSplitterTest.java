package io.streamcontrol.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

    final List<String> lines = new ArrayList<>();

    void feed(LineSplitter splitter, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        splitter.feed(bytes, bytes.length, this::add);
    }

    void add(byte[] bytes, int offset, int length) {
        lines.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
    }

    @Test
    void keepsPartialLinesAcrossReads() {
        LineSplitter splitter = new LineSplitter(100);
        feed(splitter, "one\ntw");
        feed(splitter, "o\r\nthr");
        assertThat(lines).containsExactly("one", "two");
        feed(splitter, "ee\n");
        assertThat(lines).containsExactly("one", "two", "three");
    }

    @Test
    void decodesUtf8SplitAcrossReads() {
        LineSplitter splitter = new LineSplitter(100);
        byte[] bytes = "Zoë\n".getBytes(StandardCharsets.UTF_8);
        splitter.feed(bytes, 3, this::add);
        splitter.feed(java.util.Arrays.copyOfRange(bytes, 3, bytes.length), bytes.length - 3, this::add);
        assertThat(lines).containsExactly("Zoë");
    }

    @Test
    void capsAnEndlessLine() {
        LineSplitter splitter = new LineSplitter(10);
        feed(splitter, "x".repeat(1_000));
        feed(splitter, "x".repeat(1_000) + "\nnext\n");
        assertThat(lines).containsExactly("x".repeat(10), "next");
    }

    @Test
    void capsALineThatLiesWholeInOneRead() {
        LineSplitter splitter = new LineSplitter(10);
        feed(splitter, "x".repeat(30) + "\r\nshort\r\n\n");
        assertThat(lines).containsExactly("x".repeat(10), "short", "");
    }
}
