package io.streamcontrol.cassandra;

import static io.streamcontrol.cassandra.CqlConnection.ERROR;
import static io.streamcontrol.cassandra.CqlConnection.QUERY;
import static io.streamcontrol.cassandra.CqlConnection.READY;
import static io.streamcontrol.cassandra.CqlConnection.RESULT;
import static io.streamcontrol.cassandra.CqlConnection.STARTUP;

import io.streamcontrol.cassandra.CqlConnection.Frame;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocketFactory;

/**
 * Just enough of the CQL native protocol v4 to log in (SASL PLAIN, as PasswordAuthenticator expects) and run
 * statements without result rows, so that this module needs no CQL driver (its users bring their own).
 */
final class CqlClient implements Closeable {

    private static final int AUTHENTICATE = 0x03;
    private static final int AUTH_RESPONSE = 0x0F;
    private static final int AUTH_SUCCESS = 0x10;

    /** An ERROR frame of the server: its code (e.g. 0x0100 bad credentials, 0x2000 syntax) and message. */
    static final class CqlError extends IOException {
        private final int code;

        CqlError(int code, String message) {
            super(String.format("CQL error 0x%04x: %s", code, message));
            this.code = code;
        }

        int code() {
            return code;
        }

        /** Whether trying again later may succeed: the server (or its auth setup) is not ready yet, or overloaded. */
        boolean isTransient() {
            return code == 0x0000 || code == 0x0100 || (code >= 0x1000 && code <= 0x1300);
        }
    }

    private final CqlConnection connection;

    /** Connects and logs in (with {@code user}/{@code password} when the server asks for them). */
    CqlClient(String host, int port, String user, String password) throws IOException {
        this(host, port, user, password, null);
    }

    /** The same over TLS when {@code tls} is not null. */
    CqlClient(String host, int port, String user, String password, SSLSocketFactory tls) throws IOException {
        connection = new CqlConnection(host, port, tls);
        try {
            login(user, password);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private void login(String user, String password) throws IOException {
        if (expect(STARTUP, connection.startup(), READY, AUTHENTICATE) == READY) {
            return; // no authentication
        }
        if (user == null || password == null) {
            throw new CqlError(0x0100, "the server requires a login");
        }
        byte[] token = ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(response);
        data.writeInt(token.length);
        data.write(token);
        expect(AUTH_RESPONSE, connection.request(AUTH_RESPONSE, response.toByteArray()), AUTH_SUCCESS);
    }

    /** Runs one statement whose result is not needed (DDL, role management, writes). */
    void execute(String cql) throws IOException {
        expect(QUERY, connection.query(cql), RESULT);
    }

    /**
     * The opcode of the answer to {@code request}, which must be one of the expected ones: an ERROR answer is thrown as
     * a {@link CqlError}, any other answer as an IOException.
     */
    private static int expect(int request, Frame answer, int... expected) throws IOException {
        if (answer.opcode() == ERROR) {
            ByteBuffer body = ByteBuffer.wrap(answer.body());
            int code = body.getInt();
            byte[] message = new byte[body.getShort()];
            body.get(message);
            throw new CqlError(code, new String(message, StandardCharsets.UTF_8));
        }
        for (int opcode : expected) {
            if (answer.opcode() == opcode) {
                return opcode;
            }
        }
        throw new IOException(String.format("unexpected CQL answer 0x%02x to request 0x%02x", answer.opcode(), request));
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
