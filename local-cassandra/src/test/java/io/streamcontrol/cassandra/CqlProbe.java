package io.streamcontrol.cassandra;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Just enough of the CQL native protocol v4 to prove a real Cassandra answers (no driver in this module). */
final class CqlProbe implements Closeable {

    static final int ERROR = 0x00;
    static final int STARTUP = 0x01;
    static final int READY = 0x02;
    static final int OPTIONS = 0x05;
    static final int SUPPORTED = 0x06;
    static final int QUERY = 0x07;
    static final int RESULT = 0x08;
    static final int ALREADY_EXISTS = 0x2400;

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

    CqlProbe(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5_000);
        socket.setSoTimeout(30_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    Frame options() throws IOException {
        return request(OPTIONS, new byte[0]);
    }

    Frame startup() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(body);
        data.writeShort(1);
        writeString(data, "CQL_VERSION");
        writeString(data, "3.0.0");
        return request(STARTUP, body.toByteArray());
    }

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

    private Frame request(int opcode, byte[] body) throws IOException {
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
        int responseOpcode = in.readUnsignedByte();
        byte[] responseBody = new byte[in.readInt()];
        in.readFully(responseBody);
        return new Frame(version, flags, stream, responseOpcode, withoutWarnings(flags, responseBody));
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
