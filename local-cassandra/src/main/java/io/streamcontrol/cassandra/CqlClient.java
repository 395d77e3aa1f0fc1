package io.streamcontrol.cassandra;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Just enough of the CQL native protocol v4 to log in (SASL PLAIN, as PasswordAuthenticator expects) and run
 * statements without result rows, so that this module needs no CQL driver (its users bring their own).
 */
final class CqlClient implements Closeable {

    private static final int ERROR = 0x00;
    private static final int STARTUP = 0x01;
    private static final int READY = 0x02;
    private static final int AUTHENTICATE = 0x03;
    private static final int QUERY = 0x07;
    private static final int RESULT = 0x08;
    private static final int AUTH_RESPONSE = 0x0F;
    private static final int AUTH_SUCCESS = 0x10;
    private static final int CONSISTENCY_ONE = 0x0001;

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

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    /** Connects and logs in (with {@code user}/{@code password} when the server asks for them). */
    CqlClient(String host, int port, String user, String password) throws IOException {
        this(host, port, user, password, null);
    }

    /** The same over TLS when {@code tls} is not null. */
    CqlClient(String host, int port, String user, String password, SSLSocketFactory tls) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), 5_000);
            plain.setSoTimeout(30_000);
        } catch (IOException e) {
            plain.close();
            throw e;
        }
        if (tls != null) {
            SSLSocket secured = (SSLSocket) tls.createSocket(plain, host, port, true);
            secured.setSoTimeout(30_000);
            socket = secured;
        } else {
            socket = plain;
        }
        try {
            if (socket instanceof SSLSocket secured) {
                secured.startHandshake();
            }
            in = new DataInputStream(socket.getInputStream());
            out = new DataOutputStream(socket.getOutputStream());
            login(user, password);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void login(String user, String password) throws IOException {
        ByteArrayOutputStream startup = new ByteArrayOutputStream();
        DataOutputStream body = new DataOutputStream(startup);
        body.writeShort(1);
        writeString(body, "CQL_VERSION");
        writeString(body, "3.0.0");
        ByteBuffer answer = request(STARTUP, startup.toByteArray(), READY, AUTHENTICATE);
        if (answer == null) {
            return; // READY: no authentication
        }
        if (user == null || password == null) {
            throw new CqlError(0x0100, "the server requires a login");
        }
        byte[] token = ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(response);
        data.writeInt(token.length);
        data.write(token);
        request(AUTH_RESPONSE, response.toByteArray(), AUTH_SUCCESS);
    }

    /** Runs one statement whose result is not needed (DDL, role management, writes). */
    void execute(String cql) throws IOException {
        ByteArrayOutputStream query = new ByteArrayOutputStream();
        DataOutputStream body = new DataOutputStream(query);
        byte[] text = cql.getBytes(StandardCharsets.UTF_8);
        body.writeInt(text.length);
        body.write(text);
        body.writeShort(CONSISTENCY_ONE);
        body.writeByte(0);
        request(QUERY, query.toByteArray(), RESULT);
    }

    /**
     * Sends a request and reads the answer, which must have one of the expected opcodes (else an error); returns
     * the body when the answer has the second expected opcode (or the only one), null for the first of two.
     */
    private ByteBuffer request(int opcode, byte[] body, int... expected) throws IOException {
        out.writeByte(0x04); // protocol v4, request
        out.writeByte(0); // flags
        out.writeShort(1); // stream
        out.writeByte(opcode);
        out.writeInt(body.length);
        out.write(body);
        out.flush();

        in.readUnsignedByte(); // version
        int flags = in.readUnsignedByte();
        in.readShort(); // stream
        int answer = in.readUnsignedByte();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if ((flags & 0x08) != 0) { // warnings: a [string list] before the body
            for (int warnings = buffer.getShort(); warnings > 0; warnings--) {
                buffer.position(buffer.position() + buffer.getShort());
            }
        }
        if (answer == ERROR) {
            int code = buffer.getInt();
            byte[] message = new byte[buffer.getShort()];
            buffer.get(message);
            throw new CqlError(code, new String(message, StandardCharsets.UTF_8));
        }
        if (answer == expected[0]) {
            return expected.length == 1 ? buffer : null;
        }
        if (expected.length > 1 && answer == expected[1]) {
            return buffer;
        }
        throw new IOException(String.format("unexpected CQL answer 0x%02x to request 0x%02x", answer, opcode));
    }

    private static void writeString(DataOutputStream data, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        data.writeShort(bytes.length);
        data.write(bytes);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
