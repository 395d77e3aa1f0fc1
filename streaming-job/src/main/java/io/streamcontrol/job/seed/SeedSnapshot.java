package io.streamcontrol.job.seed;

import io.streamcontrol.job.rollup.AnalyticsState;
import io.streamcontrol.job.seed.StateSeed.Seed;
import io.streamcontrol.job.sequence.SourceState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.serializer.DeserializationStream;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializationStream;
import org.apache.spark.serializer.SerializerInstance;
import scala.Tuple2;
import scala.reflect.ClassTag$;

/**
 * Hands a {@link Seed} to the two {@code mapWithState} steps: written once, at the seeded start, next to the new
 * checkpoint ({@code <checkpoint>/seed/}); the state functions take their first state from it when a key has no state
 * yet. This handle (a path) is all the checkpointed closures hold.
 *
 * <p>Why not {@code StateSpec.initialState(rdd)}: the DStream graph in the checkpoint keeps that RDD, and after a
 * recovery it is a shell without a SparkContext. Until the first state checkpoint (10 batches after the start) a
 * recovery recomputes the state from the first batch, which needs the initial RDD, and the recovered driver fails with
 * "This RDD lacks a SparkContext" (SPARK-13758) at every restart. A file read where the state lives works the same
 * before and after a recovery: "no state yet" always means "nothing happened to this key since the seeded start".
 */
public final class SeedSnapshot implements Serializable {

    /** No seed: every key starts empty. */
    public static final SeedSnapshot NONE = new SeedSnapshot(null);

    private static final String SOURCES = "sources";
    private static final String ANALYTICS = "analytics";

    private final String dir;

    private SeedSnapshot(String dir) {
        this.dir = dir;
    }

    /** Writes the seed under {@code <checkpoint>/seed/}, with the job's serializer (Kryo). */
    public static SeedSnapshot write(String checkpoint, Seed seed, SparkConf conf) {
        SeedSnapshot snapshot = new SeedSnapshot(new Path(checkpoint, "seed").toString());
        SerializerInstance serializer = new KryoSerializer(conf).newInstance();
        Configuration hadoop = hadoopConfiguration(conf);
        snapshot.write(SOURCES, new ArrayList<>(seed.sources()), serializer, hadoop);
        snapshot.write(ANALYTICS, seed.analytics(), serializer, hadoop);
        return snapshot;
    }

    /** The seeded state of a source (empty if it had made no progress). Runs where the state lives. */
    public SourceState source(int source) {
        return dir == null ? SourceState.empty(source) : source(source, SparkEnv.get().conf());
    }

    /** The seeded analytics state. Runs where the state lives. */
    public AnalyticsState analytics() {
        return dir == null ? AnalyticsState.empty() : analytics(SparkEnv.get().conf());
    }

    SourceState source(int source, SparkConf conf) {
        List<SourceState> sources = read(SOURCES, conf);
        return sources.stream().filter(s -> s.source() == source).findFirst().orElse(SourceState.empty(source));
    }

    AnalyticsState analytics(SparkConf conf) {
        return read(ANALYTICS, conf);
    }

    private void write(String name, Object value, SerializerInstance serializer, Configuration hadoop) {
        Path file = new Path(dir, name);
        Path partial = new Path(dir, name + ".partial");
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            try (OutputStream out = fs.create(partial, true)) {
                SerializationStream stream = serializer.serializeStream(out);
                stream.writeObject(value, ClassTag$.MODULE$.Any());
                stream.close();
            }
            fs.delete(file, false);
            if (!fs.rename(partial, file)) {
                throw new IOException("could not rename " + partial + " to " + file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the seed snapshot " + file, e);
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T read(String name, SparkConf conf) {
        SerializerInstance serializer = new KryoSerializer(conf).newInstance();
        Path file = new Path(dir, name);
        try (InputStream in = file.getFileSystem(hadoopConfiguration(conf)).open(file)) {
            DeserializationStream stream = serializer.deserializeStream(in);
            T value = (T) stream.readObject(ClassTag$.MODULE$.Any());
            stream.close();
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the seed snapshot " + file, e);
        }
    }

    /** As Spark builds it: the {@code spark.hadoop.*} settings over the Hadoop defaults (core-site.xml). */
    static Configuration hadoopConfiguration(SparkConf conf) {
        Configuration hadoop = new Configuration();
        for (Tuple2<String, String> setting : conf.getAll()) {
            if (setting._1().startsWith("spark.hadoop.")) {
                hadoop.set(setting._1().substring("spark.hadoop.".length()), setting._2());
            }
        }
        return hadoop;
    }

    @Override
    public String toString() {
        return dir == null ? "no seed" : "seed at " + dir;
    }
}
