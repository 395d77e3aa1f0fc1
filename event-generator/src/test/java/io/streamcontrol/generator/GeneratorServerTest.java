package io.streamcontrol.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamcontrol.contract.settings.LineFormat;
import io.streamcontrol.contract.source.ResumeProtocol;
import io.streamcontrol.contract.source.ResumeProtocol.Framed;
import io.streamcontrol.contract.source.ResumeProtocol.Hello;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GeneratorServerTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private GeneratorServer start(GeneratorSettings.Builder settings) throws IOException {
        GeneratorServer server = new GeneratorServer(settings.port(0).seed(11)
                .startTime(Instant.parse("2026-01-01T00:00:00Z")).malformedShare(0.1).lateShare(0.1)
                .veryLateShare(0.1).build());
        toClose.add(server);
        return server.start();
    }

    private Client connect(GeneratorServer server) throws IOException {
        Client client = new Client(server.port());
        toClose.add(0, client);
        return client;
    }

    /** A line-reading loopback client; every read gives up after 5 s. */
    private static final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;

        Client(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(5_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        Client send(String line) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return this;
        }

        String readLine() throws IOException {
            String line = in.readLine();
            assertThat(line).as("line before end of stream").isNotNull();
            return line;
        }

        Framed readFramed() throws IOException {
            return ResumeProtocol.unframe(readLine()).orElseThrow();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aPlainClientReceivesEveryPayloadInOrder() throws IOException {
        GeneratorServer server = start(GeneratorSettings.builder().rate(0));
        Client client = connect(server); // sends nothing: plain lines after the handshake wait

        for (long n = 0; n < 2_000; n++) {
            assertThat(client.readLine()).isEqualTo(server.source().line(n).payload());
        }
    }

    @Test
    void aClientWhoseFirstLineIsNotAHandshakeGetsPlainLinesAtOnce() throws IOException {
        GeneratorServer server = start(GeneratorSettings.builder().rate(0));
        Client client = connect(server).send("hello there");

        assertThat(client.readLine()).isEqualTo(server.source().line(0).payload());
        assertThat(client.readLine()).isEqualTo(server.source().line(1).payload());
    }

    @Test
    void aResumingClientReceivesItsPartitionAfterItsLastSequenceFramed() throws IOException {
        GeneratorServer server = start(GeneratorSettings.builder().rate(0));
        Client client = connect(server).send(new Hello(1, 3, 7).toLine());

        for (long seq = 10; seq < 10 + 3 * 500; seq += 3) {
            Framed framed = client.readFramed();
            assertThat(framed.seq()).isEqualTo(seq);
            assertThat(framed.payload()).isEqualTo(server.source().line(seq).payload());
        }
    }

    @Test
    void aClientResumingAfterADisconnectGetsExactlyTheRemainingSequences() throws IOException {
        GeneratorServer server = start(GeneratorSettings.builder().rate(0).count(3_000));
        List<Long> received = new ArrayList<>();

        Client first = connect(server).send(new Hello(0, 2, ResumeProtocol.NOTHING_RECEIVED).toLine());
        for (int i = 0; i < 321; i++) {
            received.add(first.readFramed().seq());
        }
        first.close(); // whatever the server wrote beyond this point is lost, as with a crashed receiver

        Client second = connect(server).send(new Hello(0, 2, received.get(received.size() - 1)).toLine());
        while (received.size() < 1_500) {
            received.add(second.readFramed().seq());
        }

        assertThat(received).containsExactlyElementsOf(LongStream.range(0, 1_500).map(i -> 2 * i).boxed().toList());
        assertNoLineWithin(second, Duration.ofMillis(300));
    }

    @Test
    void countStopsEmissionButTheConnectionStaysOpen() throws IOException {
        GeneratorServer server = start(GeneratorSettings.builder().rate(0).count(50));
        Client client = connect(server).send("plain please");
        for (long n = 0; n < 50; n++) {
            assertThat(client.readLine()).isEqualTo(server.source().line(n).payload());
        }

        assertNoLineWithin(client, Duration.ofMillis(300));
        assertThat(server.connections()).isEqualTo(1);
        assertThat(server.emitted()).isEqualTo(50);

        client.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.connections() == 0);
    }

    @Test
    void durationStopsEmissionPerConnection() throws IOException {
        GeneratorServer server = start(GeneratorSettings.builder().rate(100).duration(Duration.ofMillis(300)));
        Client client = connect(server).send("plain please");

        int lines = countLinesUntilSilence(client, Duration.ofMillis(400));

        assertThat(lines).isBetween(20, 40); // 100/s for 300 ms
        assertThat(server.emitted()).isEqualTo(lines);
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void ratePacesEachConnection() throws IOException {
        GeneratorServer server = start(GeneratorSettings.builder().rate(2_000));
        Client client = connect(server).send("plain please");

        long begin = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            client.readLine();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - begin);

        assertThat(took).isBetween(Duration.ofMillis(400), Duration.ofMillis(1_500));
    }

    @Test
    void resumedConnectionsArePacedAtTheirShareOfTheRate() throws IOException {
        GeneratorServer server = start(GeneratorSettings.builder().rate(4_000));
        Client client = connect(server).send(new Hello(0, 4, ResumeProtocol.NOTHING_RECEIVED).toLine());

        long begin = System.nanoTime();
        for (int i = 0; i < 500; i++) {
            client.readLine();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - begin);

        assertThat(took).isBetween(Duration.ofMillis(400), Duration.ofMillis(1_500));
    }

    @Test
    void highRatesReachTheClientInChunksOfManyLines() throws IOException {
        GeneratorServer server = start(GeneratorSettings.builder().rate(50_000).count(50_000));
        Client client = connect(server);

        long begin = System.nanoTime();
        double linesPerRead = meanLinesPerRead(client.send("plain please"), 50_000);
        Duration took = Duration.ofNanos(System.nanoTime() - begin);

        // one flush per event, as the generator once did, gave about 5 lines per read at this rate
        assertThat(linesPerRead).isGreaterThanOrEqualTo(50);
        assertThat(took).isGreaterThan(Duration.ofMillis(950)); // the last line is due after 0.99998 s
    }

    @Test
    void asFastAsPossibleIsWrittenInChunksToo() throws IOException {
        GeneratorServer server = start(GeneratorSettings.builder().rate(0).count(200_000));
        Client client = connect(server).send("plain please");

        assertThat(meanLinesPerRead(client, 200_000)).isGreaterThanOrEqualTo(50);
        assertThat(server.awaitEmitted(200_000, Duration.ofSeconds(5))).isTrue();
        assertThat(server.emitted()).isEqualTo(200_000);
    }

    @Test
    void lowRatesSendEachLineSoonAfterItsDueTime() throws IOException {
        GeneratorServer server = start(GeneratorSettings.builder().rate(20).count(20));
        Client client = connect(server);
        Duration spacing = Duration.ofMillis(50);
        Duration allowed = GeneratorServer.TICK.multipliedBy(2).plusMillis(100);

        // the connection's clock starts after the client's first line, so no line is due before begin + n * spacing
        long begin = System.nanoTime();
        client.send("plain please");
        List<Duration> lateness = new ArrayList<>();
        for (long n = 0; n < 20; n++) {
            assertThat(client.readLine()).isEqualTo(server.source().line(n).payload());
            Duration late = Duration.ofNanos(System.nanoTime() - begin).minus(spacing.multipliedBy(n));
            assertThat(late).as("line %d after its due time", n).isBetween(Duration.ZERO, Duration.ofMillis(600));
            lateness.add(late);
        }
        // a busy machine delays a line now and then; lines held back for a fuller write would all be late
        Collections.sort(lateness);
        assertThat(lateness.get(lateness.size() / 2)).as("median lateness").isLessThanOrEqualTo(allowed);
    }

    @Test
    void aPacedResumingClientReceivesExactlyItsFramedSequence() throws IOException {
        GeneratorServer server = start(GeneratorSettings.builder().rate(30_000).count(20_000).format(LineFormat.JSON));
        Client client = connect(server).send(new Hello(2, 3, 1_000).toLine());

        StringBuilder expected = new StringBuilder();
        long lines = 0;
        for (long seq = 1_001; seq < 20_000; seq += 3) {
            expected.append(seq).append(' ').append(server.source().line(seq).payload()).append('\n');
            lines++;
        }
        byte[] expectedBytes = expected.toString().getBytes(StandardCharsets.UTF_8);
        byte[] received = client.socket.getInputStream().readNBytes(expectedBytes.length);

        assertThat(new String(received, StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        assertNoLineWithin(client, Duration.ofMillis(300));
        assertThat(server.emitted()).isEqualTo(lines);
    }

    /** Reads raw bytes with a large buffer until {@code lines} lines came; the mean number of lines per read. */
    private static double meanLinesPerRead(Client client, long lines) throws IOException {
        InputStream in = client.socket.getInputStream();
        byte[] buffer = new byte[1 << 20];
        long received = 0;
        long reads = 0;
        while (received < lines) {
            int read = in.read(buffer);
            assertThat(read).as("bytes before end of stream").isPositive();
            reads++;
            for (int i = 0; i < read; i++) {
                if (buffer[i] == '\n') {
                    received++;
                }
            }
        }
        assertThat(received).isEqualTo(lines);
        return received / (double) reads;
    }

    @Test
    void nothingIsEmittedBeforeAClientConnects() throws IOException {
        GeneratorServer server = start(GeneratorSettings.builder().rate(0));

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> server.emitted() == 0);

        connect(server).send("plain please");
        assertThat(server.awaitEmitted(1, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void servesConcurrentClientsAndCloseEndsThemAll() throws IOException {
        GeneratorServer server = start(GeneratorSettings.builder().rate(1_000));
        List<Client> clients = new ArrayList<>();
        for (int partition = 0; partition < 3; partition++) {
            clients.add(connect(server).send(new Hello(partition, 3, ResumeProtocol.NOTHING_RECEIVED).toLine()));
        }
        for (int partition = 0; partition < 3; partition++) {
            assertThat(clients.get(partition).readFramed().seq()).isEqualTo(partition);
        }
        assertThat(server.connections()).isEqualTo(3);

        server.close();

        assertThat(server.connections()).isZero();
        for (Client client : clients) {
            assertThat(streamEnds(client)).isTrue();
        }
    }

    /** Reads what is left; true when the server ended the stream (end of stream or reset), false on a timeout. */
    private static boolean streamEnds(Client client) {
        try {
            while (client.in.readLine() != null) {
                // what was sent before the end
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static int countLinesUntilSilence(Client client, Duration silence) throws IOException {
        client.socket.setSoTimeout((int) silence.toMillis());
        int lines = 0;
        try {
            while (client.in.readLine() != null) {
                lines++;
            }
            throw new AssertionError("the server closed the connection after " + lines + " lines");
        } catch (SocketTimeoutException e) {
            return lines;
        }
    }

    private static void assertNoLineWithin(Client client, Duration wait) throws IOException {
        client.socket.setSoTimeout((int) wait.toMillis());
        assertThatThrownBy(client.in::readLine).isInstanceOf(SocketTimeoutException.class);
    }
}
