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
 * A connection speaking frames of the CQL native protocol v4: a request out, its answer back as it came (an ERROR
 * answer too), so that {@link CqlClient} and the tests that probe the server share one framing.
 */
final class CqlConnection implements Closeable {

    static final int ERROR = 0x00;
    static final int STARTUP = 0x01;
    static final int READY = 0x02;
    static final int QUERY = 0x07;
    static final int RESULT = 0x08;

    /** An answer; its body without the warnings the server may put before it. */
    record Frame(int version, int flags, int stream, int opcode, byte[] body) {
        int errorCode() {
            return ByteBuffer.wrap(body).getInt();
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    /** Connects, over TLS when {@code tls} is not null. */
    CqlConnection(String host, int port, SSLSocketFactory tls) throws IOException {
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
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** STARTUP with CQL 3.0.0: READY, or AUTHENTICATE when the server wants a login. */
    Frame startup() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(body);
        data.writeShort(1);
        writeString(data, "CQL_VERSION");
        writeString(data, "3.0.0");
        return request(STARTUP, body.toByteArray());
    }

    /** One statement at consistency ONE, without values or paging. */
    Frame query(String cql) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(body);
        byte[] text = cql.getBytes(StandardCharsets.UTF_8);
        data.writeInt(text.length);
        data.write(text);
        data.writeShort(0x0001); // consistency ONE
        data.writeByte(0); // no query flags
        return request(QUERY, body.toByteArray());
    }

    /** Sends a request on stream 1 and reads its answer. */
    Frame request(int opcode, byte[] body) throws IOException {
        out.writeByte(0x04); // protocol v4, request
        out.writeByte(0); // flags
        out.writeShort(1); // stream
        out.writeByte(opcode);
        out.writeInt(body.length);
        out.write(body);
        out.flush();

        int version = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readShort();
        int answer = in.readUnsignedByte();
        byte[] answerBody = new byte[in.readInt()];
        in.readFully(answerBody);
        return new Frame(version, flags, stream, answer, withoutWarnings(flags, answerBody));
    }

    /** Drops the [string list] of warnings that precedes the body when the warning flag (0x08) is set. */
    private static byte[] withoutWarnings(int flags, byte[] body) {
        if ((flags & 0x08) == 0) {
            return body;
        }
        ByteBuffer buffer = ByteBuffer.wrap(body);
        for (int warnings = buffer.getShort(); warnings > 0; warnings--) {
            buffer.position(buffer.position() + buffer.getShort());
        }
        byte[] rest = new byte[buffer.remaining()];
        buffer.get(rest);
        return rest;
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
