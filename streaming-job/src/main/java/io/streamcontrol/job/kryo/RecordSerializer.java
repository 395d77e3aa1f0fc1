package io.streamcontrol.job.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/**
 * Kryo 4 (the one Spark 3.5 ships) cannot set the final fields of Java records; this writes a record's components in
 * order and reads it back through its canonical constructor. Components of a final type are written without their
 * class.
 */
final class RecordSerializer<T extends Record> extends Serializer<T> {

    private final Class<?>[] types;
    private final boolean[] exactTypes;
    private final MethodHandle[] accessors;
    private final MethodHandle constructor;

    RecordSerializer(Class<T> type) {
        RecordComponent[] components = type.getRecordComponents();
        types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        exactTypes = new boolean[types.length];
        for (int i = 0; i < types.length; i++) {
            exactTypes[i] = Modifier.isFinal(types[i].getModifiers()) || types[i].isEnum();
        }
        accessors = new MethodHandle[components.length];
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            for (int i = 0; i < components.length; i++) {
                accessors[i] = lookup.unreflect(components[i].getAccessor());
            }
            constructor = lookup.findConstructor(type, MethodType.methodType(void.class, types));
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot serialize record " + type.getName(), e);
        }
    }

    @Override
    public void write(Kryo kryo, Output output, T record) {
        try {
            for (int i = 0; i < accessors.length; i++) {
                Object value = accessors[i].invoke(record);
                if (types[i] == long.class) {
                    output.writeLong((Long) value);
                } else if (types[i] == int.class) {
                    output.writeInt((Integer) value);
                } else if (exactTypes[i]) {
                    kryo.writeObjectOrNull(output, value, types[i]);
                } else {
                    kryo.writeClassAndObject(output, value);
                }
            }
        } catch (Throwable e) {
            throw new IllegalStateException("cannot write " + record.getClass().getName(), e);
        }
    }

    @Override
    public T read(Kryo kryo, Input input, Class<T> type) {
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            if (types[i] == long.class) {
                values[i] = input.readLong();
            } else if (types[i] == int.class) {
                values[i] = input.readInt();
            } else if (exactTypes[i]) {
                values[i] = kryo.readObjectOrNull(input, types[i]);
            } else {
                values[i] = kryo.readClassAndObject(input);
            }
        }
        try {
            @SuppressWarnings("unchecked")
            T record = (T) constructor.invokeWithArguments(values);
            return record;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read " + type.getName(), e);
        }
    }
}
