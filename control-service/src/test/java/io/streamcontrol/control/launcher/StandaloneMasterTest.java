package io.streamcontrol.control.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The master's REST answers as Spark 3.5.7's master gives them (captured from a real master). */
class StandaloneMasterTest {

    static final String RUNNING = """
            {
              "action" : "SubmissionStatusResponse",
              "driverState" : "RUNNING",
              "serverSparkVersion" : "3.5.7",
              "submissionId" : "driver-20261121120149-0000",
              "success" : true,
              "workerHostPort" : "127.0.0.1:44201",
              "workerId" : "worker-20261121120059-127.0.0.1-44201"
            }""";
    static final String UNKNOWN_DRIVER = """
            {
              "action" : "SubmissionStatusResponse",
              "serverSparkVersion" : "3.5.7",
              "submissionId" : "driver-nope",
              "success" : false
            }""";
    static final String STANDBY = """
            {
              "action" : "SubmissionStatusResponse",
              "message" : "Exception from the cluster:\\njava.lang.Exception: Current state is not alive: STANDBY. Can only request driver status in ALIVE state.",
              "serverSparkVersion" : "3.5.7",
              "submissionId" : "driver-20261121120149-0000",
              "success" : false
            }""";
    static final String KILL_SUBMITTED = """
            {
              "action" : "KillSubmissionResponse",
              "message" : "Kill request for driver-20261121120235-0001 submitted",
              "serverSparkVersion" : "3.5.7",
              "submissionId" : "driver-20261121120235-0001",
              "success" : true
            }""";
    static final String ALREADY_FINISHED = """
            {
              "action" : "KillSubmissionResponse",
              "message" : "Driver driver-20261121120235-0001 has already finished or does not exist",
              "serverSparkVersion" : "3.5.7",
              "submissionId" : "driver-20261121120235-0001",
              "success" : false
            }""";

    HttpServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aStatusNamesTheDriversStateAndWorker() {
        StandaloneMaster.DriverStatus status = StandaloneMaster.parseStatus(RUNNING).orElseThrow();
        assertThat(status.masterState()).isEqualTo("RUNNING");
        assertThat(status.state()).isEqualTo(DriverState.CONNECTED);
        assertThat(status.workerHostPort()).isEqualTo("127.0.0.1:44201");
    }

    @Test
    void aDriverUnknownToTheMasterIsLostButAStandbyMastersAnswerIsNoAnswer() {
        assertThat(StandaloneMaster.parseStatus(UNKNOWN_DRIVER).orElseThrow().state()).isEqualTo(DriverState.LOST);
        assertThat(StandaloneMaster.parseStatus(STANDBY)).isEmpty();
        assertThat(StandaloneMaster.parseStatus("<html>not found</html>")).isEmpty();
        assertThat(StandaloneMaster.parseStatus("{\"action\":\"ErrorResponse\",\"message\":\"x\"}")).isEmpty();
    }

    @Test
    void aKillIsAcceptedOrRefusedForADriverThatHasEnded() {
        assertThat(StandaloneMaster.parseKill(KILL_SUBMITTED)).contains(new StandaloneMaster.KillAnswer(true,
                "Kill request for driver-20261121120235-0001 submitted"));
        assertThat(StandaloneMaster.parseKill(ALREADY_FINISHED).orElseThrow().accepted()).isFalse();
        assertThat(StandaloneMaster.parseKill("""
                {"action" : "KillSubmissionResponse", "success" : false,
                 "message" : "Current state is not alive: STANDBY. Can only kill drivers in ALIVE state."}""")).isEmpty();
    }

    @Test
    void theFirstMasterThatAnswersForTheDriverIsTheOneThatCounts() throws IOException {
        int standby = serve(STANDBY, KILL_SUBMITTED);
        HttpServer standbyServer = server;
        int alive = serve(RUNNING, KILL_SUBMITTED);
        try {
            String master = "spark://127.0.0.1:" + closedPort() + ",127.0.0.1:" + standby + ",127.0.0.1:" + alive;
            StandaloneMaster masters = new StandaloneMaster();
            assertThat(masters.status(master, "driver-20261121120149-0000")).map(StandaloneMaster.DriverStatus::state)
                    .contains(DriverState.CONNECTED);
            assertThat(masters.kill("spark://127.0.0.1:" + alive, "driver-20261121120235-0001"))
                    .map(StandaloneMaster.KillAnswer::accepted).contains(true);
            assertThat(requests).contains("GET /v1/submissions/status/driver-20261121120149-0000",
                    "POST /v1/submissions/kill/driver-20261121120235-0001");
            masters.requireRestServer("spark://127.0.0.1:" + alive);
        } finally {
            standbyServer.stop(0);
        }
    }

    @Test
    void noMasterNoAnswerAndAPortThatIsNoRestServerIsRefusedBeforeSubmitting() throws IOException {
        StandaloneMaster masters = new StandaloneMaster();
        String nowhere = "spark://127.0.0.1:" + closedPort();
        assertThat(masters.status(nowhere, "driver-20261121120149-0000")).isEmpty();
        assertThat(masters.kill(nowhere, "driver-20261121120149-0000")).isEmpty();
        assertThatThrownBy(() -> masters.requireRestServer(nowhere)).isInstanceOf(IOException.class)
                .hasMessageContaining("spark.master.rest.enabled=true");
        int web = serve("<html>a master's web UI</html>", "<html></html>");
        assertThatThrownBy(() -> masters.requireRestServer("spark://127.0.0.1:" + web))
                .isInstanceOf(IOException.class);
    }

    private int serve(String status, String kill) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            byte[] body = (exchange.getRequestURI().getPath().contains("/kill/") ? kill : status)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
