package io.streamcontrol.job.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.streamcontrol.job.source.ReceivedLine;

/**
 * Every received line is written once into its block and read once by its task: its four fields directly, without the
 * reflection of {@link RecordSerializer}.
 */
final class ReceivedLineSerializer extends Serializer<ReceivedLine> {

    @Override
    public void write(Kryo kryo, Output output, ReceivedLine line) {
        output.writeVarInt(line.source(), true);
        output.writeLong(line.seq());
        output.writeLong(line.receivedAt());
        output.writeString(line.payload());
    }

    @Override
    public ReceivedLine read(Kryo kryo, Input input, Class<ReceivedLine> type) {
        return new ReceivedLine(input.readVarInt(true), input.readLong(), input.readLong(), input.readString());
    }
}
