package io.streamcontrol.contract.settings;

import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.rollups.Granularity;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every setting of the streaming job, with its default, parsed from {@code --name value} arguments and validated:
 * a bad value stops the job at start with a message naming the setting.
 */
public record JobSettings(
        String jobName,
        String sourceHost,
        int sourcePort,
        LineFormat sourceFormat,
        int receivers,
        boolean resume,
        int maxLineLength,
        Duration batchInterval,
        Duration blockInterval,
        Duration lateness,
        List<Dimension> dimensions,
        List<Granularity> granularities,
        int topN,
        Duration topNWindow,
        Duration topNSlide,
        String keyspace,
        int replicationFactor,
        String replication,
        String cassandraHost,
        int cassandraPort,
        String cassandraLocalDc,
        String cassandraUsername,
        boolean cassandraSsl,
        String cassandraTruststore,
        String cassandraTruststoreType,
        String cassandraKeystore,
        String cassandraKeystoreType,
        String checkpoint,
        boolean backpressure,
        long receiverMaxRate,
        int concurrentJobs,
        int outputConcurrentWrites,
        String outputBatchSizeRows,
        int outputThroughputMb,
        String outputConsistency,
        String readConsistency,
        Duration stopPollInterval,
        Duration drainTimeout,
        Duration cassandraOutageLimit,
        String launchId) implements Serializable {

    /**
     * The settings a running driver takes by restarting its streaming context ({@link #restartsInPlace}): each is read
     * when a streaming context and its receivers are built. The others go into the driver's Spark configuration, its
     * connection or its identity, and need a new driver.
     */
    public static final Set<String> CHANGEABLE_IN_PLACE = Set.of("source-host", "source-port", "source-format",
            "max-line-length", "batch-interval", "lateness", "dimensions", "granularities", "top-n", "top-n-window",
            "top-n-slide", "stop-poll-interval", "drain-timeout");

    /** Name, default (null = required) and one-line description of every setting, in help order. */
    public static final Map<String, String[]> SETTINGS = settings();

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern KEYSPACE = Pattern.compile("[a-z][a-z0-9_]{0,47}");
    private static final Pattern LAUNCH_ID = Pattern.compile("[A-Za-z0-9-]{0,64}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:-]{1,253}");
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.@-]{0,256}");
    /** A local path (or the name of a file shipped with spark.files); never shell metacharacters or spaces. */
    private static final Pattern STORE_PATH = Pattern.compile("|[A-Za-z0-9_./-]{1,1000}");
    private static final List<String> CONSISTENCY = List.of("ANY", "ONE", "TWO", "THREE", "QUORUM", "ALL",
            "LOCAL_QUORUM", "EACH_QUORUM", "LOCAL_ONE");
    private static final List<String> READ_CONSISTENCY = List.of("ONE", "TWO", "THREE", "QUORUM", "ALL",
            "LOCAL_QUORUM", "LOCAL_ONE");
    private static final List<String> STORE_TYPES = List.of("JKS", "PKCS12");

    private static Map<String, String[]> settings() {
        Map<String, String[]> s = new LinkedHashMap<>();
        s.put("job-name", new String[] {"sales", "name of the job; keys its source offsets and stop requests"});
        s.put("source-host", new String[] {"127.0.0.1", "host of the TCP event source"});
        s.put("source-port", new String[] {"9999", "port of the TCP event source"});
        s.put("source-format", new String[] {"csv", "wire format of the lines: csv or json"});
        s.put("receivers", new String[] {"1", "number of receivers; receiver i owns partition i of the source"});
        s.put("resume", new String[] {"true", "speak the resume handshake (replay after a crash); false for plain TCP senders"});
        s.put("max-line-length", new String[] {"10000", "longer lines are rejected"});
        s.put("batch-interval", new String[] {"5s", "Spark Streaming batch interval"});
        s.put("block-interval", new String[] {"200ms", "receiver block interval (spark.streaming.blockInterval)"});
        s.put("lateness", new String[] {"1m", "how far behind the newest event of its source an event may be and still count"});
        s.put("dimensions", new String[] {"product,region,state", "rollup dimensions: product, region, state"});
        s.put("granularities", new String[] {"minute,hour,day", "rollup time buckets: minute, hour, day"});
        s.put("top-n", new String[] {"10", "how many keys the sliding top-N keeps"});
        s.put("top-n-window", new String[] {"1h", "length of the top-N sliding window (event time), a multiple of the slide"});
        s.put("top-n-slide", new String[] {"1m", "how often the top-N window moves (event time)"});
        s.put("keyspace", new String[] {"sales", "Cassandra keyspace of the job's tables (created if missing)"});
        s.put("replication-factor", new String[] {"1", "SimpleStrategy replication factor of the keyspace when it is"
                + " created (when --replication is empty)"});
        s.put("replication", new String[] {"", "NetworkTopologyStrategy replicas per datacenter of the keyspace when it"
                + " is created, e.g. dc1:3,dc2:2; empty = SimpleStrategy with --replication-factor"});
        s.put("cassandra-host", new String[] {"127.0.0.1", "Cassandra contact point(s), comma separated"});
        s.put("cassandra-port", new String[] {"9042", "Cassandra native protocol port"});
        s.put("cassandra-local-dc", new String[] {"datacenter1", "local datacenter of the Cassandra driver"});
        s.put("cassandra-username", new String[] {"", "Cassandra user; its password comes from the environment"
                + " variable " + CassandraSecrets.PASSWORD_ENV + ", never from an argument; empty = no authentication"});
        s.put("cassandra-ssl", new String[] {"false", "connect to Cassandra over TLS"});
        s.put("cassandra-truststore", new String[] {"", "truststore file of the TLS connection (password from "
                + CassandraSecrets.TRUSTSTORE_PASSWORD_ENV + "); empty = the JVM's default trust"});
        s.put("cassandra-truststore-type", new String[] {"JKS", "JKS or PKCS12"});
        s.put("cassandra-keystore", new String[] {"", "keystore file for TLS client authentication (password from "
                + CassandraSecrets.KEYSTORE_PASSWORD_ENV + "); empty = none"});
        s.put("cassandra-keystore-type", new String[] {"JKS", "JKS or PKCS12"});
        s.put("checkpoint", new String[] {null, "checkpoint URI (file:///..., hdfs://..., dsefs://..., s3a://...); required"});
        s.put("backpressure", new String[] {"false", "spark.streaming.backpressure.enabled"});
        s.put("receiver-max-rate", new String[] {"0", "events/s cap per receiver, 0 = none (spark.streaming.receiver.maxRate)"});
        s.put("concurrent-jobs", new String[] {"1", "spark.streaming.concurrentJobs"});
        s.put("output-concurrent-writes", new String[] {"8", "batches in flight per writing task"});
        s.put("output-batch-size-rows", new String[] {"40", "rows of one partition per unlogged batch of raw"
                + " events, or auto (1 KB); Cassandra takes 20-100 rows of one partition per batch more than twice as fast"
                + " as single rows"});
        s.put("output-throughput-mb", new String[] {"0", "write throughput cap per task in MB/s, 0 = none"});
        s.put("output-consistency", new String[] {"LOCAL_QUORUM", "write consistency level"});
        s.put("read-consistency", new String[] {"LOCAL_QUORUM", "consistency level of the job's reads (the state"
                + " rebuilt from its tables at a start without a checkpoint; connector reads)"});
        s.put("stop-poll-interval", new String[] {"1s", "how often the driver and receivers look for a stop request"});
        s.put("drain-timeout", new String[] {"2m", "longest wait, on a graceful stop, for received lines to be processed"});
        s.put("cassandra-outage-limit", new String[] {"2m", "a driver that cannot write to Cassandra for longer"
                + " exits (code 3) instead of retrying forever; its next start resumes from the last commit"});
        s.put("launch-id", new String[] {"", "id the control service gives this launch; echoed in the drivers row"});
        return s;
    }

    public static JobSettings parse(String... args) {
        Map<String, String> given = Arguments.parse(args, SETTINGS.keySet());
        Reader r = new Reader(given);
        JobSettings settings = new JobSettings(
                r.text("job-name", NAME),
                r.text("source-host", HOST),
                r.port("source-port"),
                r.choice("source-format", LineFormat.class),
                r.intIn("receivers", 1, 64),
                r.bool("resume"),
                r.intIn("max-line-length", 100, 1_000_000),
                r.duration("batch-interval", Duration.ofMillis(100), Duration.ofMinutes(10)),
                r.duration("block-interval", Duration.ofMillis(10), Duration.ofMinutes(1)),
                r.duration("lateness", Duration.ZERO, Duration.ofDays(7)),
                r.choices("dimensions", Dimension.class),
                r.choices("granularities", Granularity.class),
                r.intIn("top-n", 1, 1000),
                r.duration("top-n-window", Duration.ofSeconds(1), Duration.ofDays(7)),
                r.duration("top-n-slide", Duration.ofSeconds(1), Duration.ofDays(1)),
                r.text("keyspace", KEYSPACE),
                r.intIn("replication-factor", 1, Replication.MAX_FACTOR),
                r.replication("replication"),
                r.text("cassandra-host", Pattern.compile("[A-Za-z0-9.:,-]{1,1000}")),
                r.port("cassandra-port"),
                r.text("cassandra-local-dc", Pattern.compile("[A-Za-z0-9_.-]{1,100}")),
                r.text("cassandra-username", USERNAME),
                r.bool("cassandra-ssl"),
                r.text("cassandra-truststore", STORE_PATH),
                r.oneOf("cassandra-truststore-type", STORE_TYPES),
                r.text("cassandra-keystore", STORE_PATH),
                r.oneOf("cassandra-keystore-type", STORE_TYPES),
                r.checkpoint("checkpoint"),
                r.bool("backpressure"),
                r.longIn("receiver-max-rate", 0, Long.MAX_VALUE),
                r.intIn("concurrent-jobs", 1, 16),
                r.intIn("output-concurrent-writes", 1, 256),
                r.batchSize("output-batch-size-rows"),
                r.intIn("output-throughput-mb", 0, 100_000),
                r.oneOf("output-consistency", CONSISTENCY),
                r.oneOf("read-consistency", READ_CONSISTENCY),
                r.duration("stop-poll-interval", Duration.ofMillis(100), Duration.ofMinutes(1)),
                r.duration("drain-timeout", Duration.ofSeconds(1), Duration.ofHours(1)),
                r.duration("cassandra-outage-limit", Duration.ofSeconds(10), Duration.ofDays(1)),
                r.text("launch-id", LAUNCH_ID));
        settings.checkTogether();
        return settings;
    }

    private void checkTogether() {
        if (!cassandraSsl && (!cassandraTruststore.isEmpty() || !cassandraKeystore.isEmpty())) {
            throw new InvalidSettingException(cassandraTruststore.isEmpty() ? "cassandra-keystore"
                    : "cassandra-truststore", "needs --cassandra-ssl true");
        }
        if (blockInterval.compareTo(batchInterval) > 0) {
            throw new InvalidSettingException("block-interval", "must not be longer than --batch-interval");
        }
        if (topNWindow.toMillis() % topNSlide.toMillis() != 0) {
            throw new InvalidSettingException("top-n-window", "must be a multiple of --top-n-slide ("
                    + Durations.format(topNSlide) + ")");
        }
        // A start without a checkpoint rebuilds the top-N slides from the finest rollup buckets (see StateSeed)
        Granularity finest = granularities.stream().min(Comparator.comparingLong(Granularity::millis))
                .orElseThrow();
        if (topNSlide.toMillis() % finest.millis() != 0) {
            throw new InvalidSettingException("top-n-slide", "must be a multiple of the finest granularity ("
                    + finest.label() + " = " + Durations.format(Duration.ofMillis(finest.millis()))
                    + "): a start without a checkpoint rebuilds the top-N slides from those rollup buckets");
        }
    }

    /** The settings as arguments again (for spark-submit and for logs). */
    public List<String> toArguments() {
        List<String> args = new ArrayList<>();
        values().forEach((k, v) -> {
            args.add("--" + k);
            args.add(v);
        });
        return args;
    }

    /**
     * Whether a driver running with {@code running} can take {@code next} by restarting its streaming context, once
     * every line received is processed: only settings in {@link #CHANGEABLE_IN_PLACE} differ, and the source replays
     * (a plain sender's write-ahead log and checkpoint belong to the running context).
     */
    public static boolean restartsInPlace(JobSettings running, JobSettings next) {
        return running.resume() && next.resume() && sameDriver(running, next);
    }

    /**
     * Whether {@code a} and {@code b} differ only in settings a streaming context reads when it is built
     * ({@link #CHANGEABLE_IN_PLACE}): then one driver, its Spark configuration and its connection serve both.
     */
    public static boolean sameDriver(JobSettings a, JobSettings b) {
        Map<String, String> before = a.values();
        Map<String, String> after = b.values();
        return before.keySet().stream().filter(name -> !CHANGEABLE_IN_PLACE.contains(name))
                .allMatch(name -> before.get(name).equals(after.get(name)));
    }

    /** Every setting's value as its argument text, in help order. */
    private Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("job-name", jobName);
        values.put("source-host", sourceHost);
        values.put("source-port", String.valueOf(sourcePort));
        values.put("source-format", sourceFormat.name().toLowerCase(Locale.ROOT));
        values.put("receivers", String.valueOf(receivers));
        values.put("resume", String.valueOf(resume));
        values.put("max-line-length", String.valueOf(maxLineLength));
        values.put("batch-interval", Durations.format(batchInterval));
        values.put("block-interval", Durations.format(blockInterval));
        values.put("lateness", Durations.format(lateness));
        values.put("dimensions", String.join(",", dimensions.stream().map(Dimension::label).toList()));
        values.put("granularities", String.join(",", granularities.stream().map(Granularity::label).toList()));
        values.put("top-n", String.valueOf(topN));
        values.put("top-n-window", Durations.format(topNWindow));
        values.put("top-n-slide", Durations.format(topNSlide));
        values.put("keyspace", keyspace);
        values.put("replication-factor", String.valueOf(replicationFactor));
        values.put("replication", replication);
        values.put("cassandra-host", cassandraHost);
        values.put("cassandra-port", String.valueOf(cassandraPort));
        values.put("cassandra-local-dc", cassandraLocalDc);
        values.put("cassandra-username", cassandraUsername);
        values.put("cassandra-ssl", String.valueOf(cassandraSsl));
        values.put("cassandra-truststore", cassandraTruststore);
        values.put("cassandra-truststore-type", cassandraTruststoreType);
        values.put("cassandra-keystore", cassandraKeystore);
        values.put("cassandra-keystore-type", cassandraKeystoreType);
        values.put("checkpoint", checkpoint);
        values.put("backpressure", String.valueOf(backpressure));
        values.put("receiver-max-rate", String.valueOf(receiverMaxRate));
        values.put("concurrent-jobs", String.valueOf(concurrentJobs));
        values.put("output-concurrent-writes", String.valueOf(outputConcurrentWrites));
        values.put("output-batch-size-rows", outputBatchSizeRows);
        values.put("output-throughput-mb", String.valueOf(outputThroughputMb));
        values.put("output-consistency", outputConsistency);
        values.put("read-consistency", readConsistency);
        values.put("stop-poll-interval", Durations.format(stopPollInterval));
        values.put("drain-timeout", Durations.format(drainTimeout));
        values.put("cassandra-outage-limit", Durations.format(cassandraOutageLimit));
        values.put("launch-id", launchId);
        return values;
    }

    /** How the keyspace is replicated when the job (or the service) creates it. */
    public Replication keyspaceReplication() {
        return Replication.parse(replication, replicationFactor);
    }


    public static String help() {
        StringBuilder out = new StringBuilder("Settings (--name value):\n");
        SETTINGS.forEach((name, spec) -> out.append(String.format("  --%-26s %s (default: %s)%n", name, spec[1],
                spec[0] == null ? "required" : spec[0].isEmpty() ? "empty" : spec[0])));
        return out.toString();
    }

    private static final class Reader {
        private final Map<String, String> given;

        Reader(Map<String, String> given) {
            this.given = given;
        }

        private String raw(String name) {
            String value = given.getOrDefault(name, SETTINGS.get(name)[0]);
            if (value == null) {
                throw new InvalidSettingException(name, "is required");
            }
            return value.trim();
        }

        private <T> T read(String name, Function<String, T> parser) {
            String value = raw(name);
            try {
                return parser.apply(value);
            } catch (InvalidSettingException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new InvalidSettingException(name, "'" + value + "' " + describe(e));
            }
        }

        private static String describe(RuntimeException e) {
            if (e instanceof NumberFormatException) {
                return "is not a number";
            }
            return e.getMessage() == null ? "is not valid" : e.getMessage();
        }

        String text(String name, Pattern pattern) {
            String value = raw(name);
            if (!pattern.matcher(value).matches()) {
                throw new InvalidSettingException(name, "'" + value + "' must match " + pattern.pattern());
            }
            return value;
        }

        int port(String name) {
            return intIn(name, 1, 65_535);
        }

        int intIn(String name, int min, int max) {
            return (int) longIn(name, min, max);
        }

        long longIn(String name, long min, long max) {
            long value = read(name, Long::parseLong);
            if (value < min || value > max) {
                throw new InvalidSettingException(name, value + " is outside " + min + ".." + max);
            }
            return value;
        }

        boolean bool(String name) {
            String value = raw(name).toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                throw new InvalidSettingException(name, "'" + value + "' must be true or false");
            }
            return Boolean.parseBoolean(value);
        }

        Duration duration(String name, Duration min, Duration max) {
            Duration value = read(name, Durations::parse);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new InvalidSettingException(name, Durations.format(value) + " is outside "
                        + Durations.format(min) + ".." + Durations.format(max));
            }
            return value;
        }

        <E extends Enum<E>> E choice(String name, Class<E> type) {
            String value = raw(name);
            try {
                return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(name, "'" + value + "' must be one of "
                        + String.join(", ", java.util.Arrays.stream(type.getEnumConstants())
                                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList()));
            }
        }

        <E extends Enum<E>> List<E> choices(String name, Class<E> type) {
            List<E> values = new ArrayList<>();
            for (String part : raw(name).split(",")) {
                Reader single = new Reader(Map.of(name, part.trim()));
                E value = single.choice(name, type);
                if (values.contains(value)) {
                    throw new InvalidSettingException(name, "lists " + part.trim() + " twice");
                }
                values.add(value);
            }
            return List.copyOf(values);
        }

        String oneOf(String name, List<String> allowed) {
            String value = raw(name).toUpperCase(Locale.ROOT);
            if (!allowed.contains(value)) {
                throw new InvalidSettingException(name, "'" + value + "' must be one of " + String.join(", ", allowed));
            }
            return value;
        }

        /** Replicas per datacenter, normalized ({@code dc1:3,dc2:2}); empty for SimpleStrategy. */
        String replication(String name) {
            String value = raw(name);
            try {
                return Replication.parse(value, 1).datacentersText();
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(name, e.getMessage());
            }
        }

        String batchSize(String name) {
            String value = raw(name);
            if (!value.equals("auto")) {
                longIn(name, 1, 10_000);
            }
            return value;
        }

        String checkpoint(String name) {
            String value = raw(name);
            URI uri;
            try {
                uri = new URI(value);
            } catch (URISyntaxException e) {
                throw new InvalidSettingException(name, "'" + value + "' is not a URI");
            }
            if (uri.getScheme() == null || uri.getPath() == null || !uri.getPath().startsWith("/")) {
                throw new InvalidSettingException(name, "'" + value
                        + "' must be an absolute URI with a scheme, e.g. file:///var/lib/job/checkpoint or hdfs://nn:8020/job");
            }
            if (uri.normalize().getPath().contains("/..") || uri.getPath().contains("/../")) {
                throw new InvalidSettingException(name, "'" + value + "' must not contain ..");
            }
            return value;
        }
    }
}
