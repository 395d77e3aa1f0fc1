package io.streamcontrol.contract.settings;

import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.contract.settings.Setting.Change;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Every setting of the streaming job, declared once ({@link Setting}: name, default, check, documentation, what a
 * change takes), and one job's values of them, parsed from {@code --name value} arguments and validated: a bad value
 * stops the job at start, and the service's request, with a message naming the setting.
 */
public final class JobSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern KEYSPACE_PATTERN = Pattern.compile("[a-z][a-z0-9_]{0,47}");
    private static final Pattern LAUNCH_ID_PATTERN = Pattern.compile("[A-Za-z0-9-]{0,64}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:-]{1,253}");
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.@-]{0,256}");
    /** A local path (or the name of a file shipped with spark.files); never shell metacharacters or spaces. */
    private static final Pattern STORE_PATH = Pattern.compile("|[A-Za-z0-9_./-]{1,1000}");
    private static final List<String> STORE_TYPES = List.of("JKS", "PKCS12");
    private static final String DECIDES_WHAT_WAS_COMPUTED = "it decides what the job has computed so far; create a"
            + " new job instead";
    private static final String KEYSPACE_CREATED = "its keyspace was created with the job (change its replication in"
            + " Cassandra: ALTER KEYSPACE)";

    /** Every setting in help order; filled by {@link #declare} as the declarations below are initialized. */
    private static final List<Setting<?>> DECLARED = new ArrayList<>();

    public static final Setting<String> JOB_NAME = declare(Setting.text("job-name", "sales", NAME).setByService()
            .doc("name of the job; keys its source offsets and stop requests"));
    public static final Setting<String> SOURCE_HOST = declare(Setting.text("source-host", "127.0.0.1", HOST)
            .takenInPlace().doc("host of the TCP event source"));
    public static final Setting<Integer> SOURCE_PORT = declare(Setting.integer("source-port", "9999", 1, 65_535)
            .takenInPlace().doc("port of the TCP event source"));
    public static final Setting<LineFormat> SOURCE_FORMAT = declare(Setting.choice("source-format", "csv",
            LineFormat.class).takenInPlace().computation().fixed(DECIDES_WHAT_WAS_COMPUTED)
            .doc("wire format of the lines: csv or json"));
    public static final Setting<Integer> RECEIVERS = declare(Setting.integer("receivers", "1", 1, 64).computation()
            .fixed(DECIDES_WHAT_WAS_COMPUTED).doc("number of receivers; receiver i owns partition i of the source"));
    public static final Setting<Boolean> RESUME = declare(Setting.bool("resume", "true")
            .doc("speak the resume handshake (replay after a crash); false for plain TCP senders"));
    public static final Setting<Integer> MAX_LINE_LENGTH = declare(Setting.integer("max-line-length", "10000", 100,
            1_000_000).takenInPlace().computation().doc("longer lines are rejected"));
    public static final Setting<Duration> BATCH_INTERVAL = declare(Setting.duration("batch-interval", "5s",
            Duration.ofMillis(100), Duration.ofMinutes(10)).takenInPlace().doc("Spark Streaming batch interval"));
    public static final Setting<Duration> BLOCK_INTERVAL = declare(Setting.duration("block-interval", "200ms",
            Duration.ofMillis(10), Duration.ofMinutes(1))
            .doc("receiver block interval (spark.streaming.blockInterval)"));
    public static final Setting<Duration> LATENESS = declare(Setting.duration("lateness", "1m", Duration.ZERO,
            Duration.ofDays(7)).takenInPlace().computation()
            .doc("how far behind the newest event of its source an event may be and still count"));
    public static final Setting<List<Dimension>> DIMENSIONS = declare(Setting.choices("dimensions",
            "product,region,state", Dimension.class).takenInPlace().computation().fixed(DECIDES_WHAT_WAS_COMPUTED)
            .doc("rollup dimensions: product, region, state"));
    public static final Setting<List<Granularity>> GRANULARITIES = declare(Setting.choices("granularities",
            "minute,hour,day", Granularity.class).takenInPlace().computation().fixed(DECIDES_WHAT_WAS_COMPUTED)
            .doc("rollup time buckets: minute, hour, day"));
    public static final Setting<Integer> TOP_N = declare(Setting.integer("top-n", "10", 1, 1000).takenInPlace()
            .computation().doc("how many keys the sliding top-N (by sale amount) keeps"));
    public static final Setting<Duration> TOP_N_WINDOW = declare(Setting.duration("top-n-window", "1h",
            Duration.ofSeconds(1), Duration.ofDays(7)).takenInPlace().computation()
            .doc("length of the top-N sliding window (event time), a multiple of the slide"));
    public static final Setting<Duration> TOP_N_SLIDE = declare(Setting.duration("top-n-slide", "1m",
            Duration.ofSeconds(1), Duration.ofDays(1)).takenInPlace().computation()
            .doc("how often the top-N window moves (event time); a multiple of the finest granularity"));
    public static final Setting<String> KEYSPACE = declare(Setting.text("keyspace", "sales", KEYSPACE_PATTERN)
            .fixed(DECIDES_WHAT_WAS_COMPUTED).doc("Cassandra keyspace of the job's tables (created if missing)"));
    public static final Setting<Integer> REPLICATION_FACTOR = declare(Setting.integer("replication-factor", "1", 1,
            Replication.MAX_FACTOR).fixed(KEYSPACE_CREATED).doc("SimpleStrategy replication factor of the keyspace"
            + " when it is created (when --replication is empty)"));
    public static final Setting<String> REPLICATION = declare(Setting.custom("replication", "",
            JobSettings::replicas, text -> text).fixed(KEYSPACE_CREATED).doc("NetworkTopologyStrategy replicas per"
            + " datacenter of the keyspace when it is created, e.g. dc1:3,dc2:2; empty = SimpleStrategy with"
            + " --replication-factor"));
    public static final Setting<String> CASSANDRA_HOST = declare(Setting.text("cassandra-host", "127.0.0.1",
            Pattern.compile("[A-Za-z0-9.:,-]{1,1000}")).setByService()
            .doc("Cassandra contact point(s), comma separated"));
    public static final Setting<Integer> CASSANDRA_PORT = declare(Setting.integer("cassandra-port", "9042", 1, 65_535)
            .setByService().doc("Cassandra native protocol port"));
    public static final Setting<String> CASSANDRA_LOCAL_DC = declare(Setting.text("cassandra-local-dc",
            "datacenter1", Pattern.compile("[A-Za-z0-9_.-]{1,100}")).setByService()
            .doc("local datacenter of the Cassandra driver"));
    public static final Setting<String> CASSANDRA_USERNAME = declare(Setting.text("cassandra-username", "", USERNAME)
            .setByService().doc("Cassandra user; its password comes from the environment variable "
                    + CassandraSecrets.PASSWORD_ENV + ", never from an argument; empty = no authentication"));
    public static final Setting<Boolean> CASSANDRA_SSL = declare(Setting.bool("cassandra-ssl", "false")
            .setByService().doc("connect to Cassandra over TLS"));
    public static final Setting<String> CASSANDRA_TRUSTSTORE = declare(Setting.text("cassandra-truststore", "",
            STORE_PATH).setByService().doc("truststore file of the TLS connection (password from "
            + CassandraSecrets.TRUSTSTORE_PASSWORD_ENV + "); empty = the JVM's default trust"));
    public static final Setting<String> CASSANDRA_TRUSTSTORE_TYPE = declare(Setting.oneOf(
            "cassandra-truststore-type", "JKS", STORE_TYPES).setByService().doc("JKS or PKCS12"));
    public static final Setting<String> CASSANDRA_KEYSTORE = declare(Setting.text("cassandra-keystore", "",
            STORE_PATH).setByService().doc("keystore file for TLS client authentication (password from "
            + CassandraSecrets.KEYSTORE_PASSWORD_ENV + "); empty = none"));
    public static final Setting<String> CASSANDRA_KEYSTORE_TYPE = declare(Setting.oneOf("cassandra-keystore-type",
            "JKS", STORE_TYPES).setByService().doc("JKS or PKCS12"));
    public static final Setting<String> CHECKPOINT = declare(Setting.custom("checkpoint", null,
            JobSettings::checkpointUri, text -> text)
            .doc("checkpoint URI (file:///..., hdfs://..., dsefs://..., s3a://...); required"));
    public static final Setting<Boolean> BACKPRESSURE = declare(Setting.bool("backpressure", "true").takenInPlace()
            .doc("receivers stop reading while the oldest line they stored is uncommitted for 4 batch intervals (at"
                    + " least 10 s): the sender waits, and a job that falls behind holds a few batches, not all it is"
                    + " sent"));
    public static final Setting<Long> RECEIVER_MAX_RATE = declare(Setting.longInteger("receiver-max-rate", "0", 0,
            Long.MAX_VALUE).takenInPlace().doc("lines/s each receiver reads at most, 0 = no cap"));
    public static final Setting<Integer> CONCURRENT_JOBS = declare(Setting.integer("concurrent-jobs", "1", 1, 16)
            .doc("spark.streaming.concurrentJobs"));
    public static final Setting<Integer> OUTPUT_CONCURRENT_WRITES = declare(Setting.integer(
            "output-concurrent-writes", "8", 1, 256).doc("batches in flight per writing task"));
    public static final Setting<String> OUTPUT_BATCH_SIZE_ROWS = declare(Setting.custom("output-batch-size-rows", "40",
            JobSettings::batchSize, text -> text).doc("rows of one partition per unlogged batch of raw events, or"
            + " auto (1 KB); Cassandra takes 20-100 rows of one partition per batch more than twice as fast as single"
            + " rows"));
    public static final Setting<Integer> OUTPUT_THROUGHPUT_MB = declare(Setting.integer("output-throughput-mb", "0", 0,
            100_000).doc("write throughput cap per task in MB/s, 0 = none"));
    public static final Setting<String> OUTPUT_CONSISTENCY = declare(Setting.oneOf("output-consistency",
            "LOCAL_QUORUM", List.of("ANY", "ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM", "EACH_QUORUM",
                    "LOCAL_ONE")).doc("write consistency level"));
    public static final Setting<String> READ_CONSISTENCY = declare(Setting.oneOf("read-consistency", "LOCAL_QUORUM",
            List.of("ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM", "LOCAL_ONE"))
            .doc("consistency level of the job's reads (the state rebuilt from its tables at a start without a"
                    + " checkpoint; connector reads)"));
    public static final Setting<Duration> STOP_POLL_INTERVAL = declare(Setting.duration("stop-poll-interval", "1s",
            Duration.ofMillis(100), Duration.ofMinutes(1)).takenInPlace()
            .doc("how often the driver and receivers look for a stop request"));
    public static final Setting<Duration> DRAIN_TIMEOUT = declare(Setting.duration("drain-timeout", "2m",
            Duration.ofSeconds(1), Duration.ofHours(1)).takenInPlace()
            .doc("longest wait, on a graceful stop, for received lines to be processed"));
    public static final Setting<Duration> CASSANDRA_OUTAGE_LIMIT = declare(Setting.duration("cassandra-outage-limit",
            "2m", Duration.ofSeconds(10), Duration.ofDays(1)).doc("a driver that cannot write to Cassandra for"
            + " longer exits (code 3) instead of retrying forever; its next start resumes from the last commit"));
    public static final Setting<String> LAUNCH_ID = declare(Setting.text("launch-id", "", LAUNCH_ID_PATTERN)
            .setByService().doc("id the control service gives this launch; echoed in the drivers row"));

    /** Every setting, in help order. */
    public static final List<Setting<?>> ALL = List.copyOf(DECLARED);

    /** The settings a running driver takes by restarting its streaming context ({@link #restartsInPlace}). */
    public static final Set<String> CHANGEABLE_IN_PLACE = names(s -> s.change() == Change.CONTEXT);

    private static final Set<String> NAMES = names(s -> true);

    /** Each setting's value. */
    private final Map<String, Object> values;
    /** Each setting's value as its argument text, in help order. */
    private final Map<String, String> texts;

    private JobSettings(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
        Map<String, String> texts = new LinkedHashMap<>();
        for (Setting<?> setting : ALL) {
            texts.put(setting.name(), setting.writeAny(values.get(setting.name())));
        }
        this.texts = Collections.unmodifiableMap(texts);
    }

    private static <T> Setting<T> declare(Setting<T> setting) {
        DECLARED.add(setting);
        return setting;
    }

    private static Set<String> names(Predicate<Setting<?>> which) {
        Set<String> names = new LinkedHashSet<>();
        ALL.stream().filter(which).forEach(s -> names.add(s.name()));
        return Collections.unmodifiableSet(names);
    }

    /** The setting named {@code name}, if there is one. */
    public static Optional<Setting<?>> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public static JobSettings parse(String... args) {
        Map<String, String> given = Arguments.parse(args, NAMES);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting<?> setting : ALL) {
            values.put(setting.name(), setting.read(given.get(setting.name())));
        }
        JobSettings settings = new JobSettings(values);
        settings.checkTogether();
        return settings;
    }

    /** This job's value of {@code setting}. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting.name());
    }

    private void checkTogether() {
        if (!cassandraSsl() && (!cassandraTruststore().isEmpty() || !cassandraKeystore().isEmpty())) {
            throw new InvalidSettingException(cassandraTruststore().isEmpty() ? CASSANDRA_KEYSTORE.name()
                    : CASSANDRA_TRUSTSTORE.name(), "needs --cassandra-ssl true");
        }
        if (blockInterval().compareTo(batchInterval()) > 0) {
            throw new InvalidSettingException(BLOCK_INTERVAL.name(), "must not be longer than --batch-interval");
        }
        if (topNWindow().toMillis() % topNSlide().toMillis() != 0) {
            throw new InvalidSettingException(TOP_N_WINDOW.name(), "must be a multiple of --top-n-slide ("
                    + Durations.format(topNSlide()) + ")");
        }
        // A start without a checkpoint rebuilds the top-N slides from the finest rollup buckets (see StateSeed)
        Granularity finest = granularities().stream().min(Comparator.comparingLong(Granularity::millis))
                .orElseThrow();
        if (topNSlide().toMillis() % finest.millis() != 0) {
            throw new InvalidSettingException(TOP_N_SLIDE.name(), "must be a multiple of the finest granularity ("
                    + finest.label() + " = " + Durations.format(Duration.ofMillis(finest.millis()))
                    + "): a start without a checkpoint rebuilds the top-N slides from those rollup buckets");
        }
    }

    /** The settings as arguments again (for spark-submit and for logs). */
    public List<String> toArguments() {
        List<String> args = new ArrayList<>();
        texts.forEach((name, text) -> {
            args.add("--" + name);
            args.add(text);
        });
        return args;
    }

    /** Every setting's value as its argument text, in help order. */
    public Map<String, String> texts() {
        return texts;
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
        return ALL.stream().filter(s -> s.change() == Change.DRIVER)
                .allMatch(s -> a.texts.get(s.name()).equals(b.texts.get(s.name())));
    }

    /** Whether batches processed with either settings make the same rows from the same lines. */
    public static boolean sameComputation(JobSettings a, JobSettings b) {
        return ALL.stream().filter(Setting::isComputation)
                .allMatch(s -> a.texts.get(s.name()).equals(b.texts.get(s.name())));
    }

    /** How the keyspace is replicated when the job (or the service) creates it. */
    public Replication keyspaceReplication() {
        return Replication.parse(replication(), replicationFactor());
    }

    public static String help() {
        StringBuilder out = new StringBuilder("Settings (--name value):\n");
        ALL.forEach(s -> out.append(String.format("  --%-26s %s (default: %s)%n", s.name(), s.description(),
                s.required() ? "required" : s.defaultText().isEmpty() ? "empty" : s.defaultText())));
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobSettings other && texts.equals(other.texts);
    }

    @Override
    public int hashCode() {
        return texts.hashCode();
    }

    @Override
    public String toString() {
        return "JobSettings" + texts;
    }

    // ---- the readers of settings of their own kind

    /** Replicas per datacenter, normalized ({@code dc1:3,dc2:2}); empty for SimpleStrategy. */
    private static String replicas(String name, String value) {
        try {
            return Replication.parse(value, 1).datacentersText();
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(name, e.getMessage());
        }
    }

    private static String batchSize(String name, String value) {
        if (!value.equals("auto")) {
            Setting.longIn(name, value, 1, 10_000);
        }
        return value;
    }

    private static String checkpointUri(String name, String value) {
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

    // ---- typed values, for the job's code

    public String jobName() {
        return get(JOB_NAME);
    }

    public String sourceHost() {
        return get(SOURCE_HOST);
    }

    public int sourcePort() {
        return get(SOURCE_PORT);
    }

    public LineFormat sourceFormat() {
        return get(SOURCE_FORMAT);
    }

    public int receivers() {
        return get(RECEIVERS);
    }

    public boolean resume() {
        return get(RESUME);
    }

    public int maxLineLength() {
        return get(MAX_LINE_LENGTH);
    }

    public Duration batchInterval() {
        return get(BATCH_INTERVAL);
    }

    public Duration blockInterval() {
        return get(BLOCK_INTERVAL);
    }

    public Duration lateness() {
        return get(LATENESS);
    }

    public List<Dimension> dimensions() {
        return get(DIMENSIONS);
    }

    public List<Granularity> granularities() {
        return get(GRANULARITIES);
    }

    public int topN() {
        return get(TOP_N);
    }

    public Duration topNWindow() {
        return get(TOP_N_WINDOW);
    }

    public Duration topNSlide() {
        return get(TOP_N_SLIDE);
    }

    public String keyspace() {
        return get(KEYSPACE);
    }

    public int replicationFactor() {
        return get(REPLICATION_FACTOR);
    }

    public String replication() {
        return get(REPLICATION);
    }

    public String cassandraHost() {
        return get(CASSANDRA_HOST);
    }

    public int cassandraPort() {
        return get(CASSANDRA_PORT);
    }

    public String cassandraLocalDc() {
        return get(CASSANDRA_LOCAL_DC);
    }

    public String cassandraUsername() {
        return get(CASSANDRA_USERNAME);
    }

    public boolean cassandraSsl() {
        return get(CASSANDRA_SSL);
    }

    public String cassandraTruststore() {
        return get(CASSANDRA_TRUSTSTORE);
    }

    public String cassandraTruststoreType() {
        return get(CASSANDRA_TRUSTSTORE_TYPE);
    }

    public String cassandraKeystore() {
        return get(CASSANDRA_KEYSTORE);
    }

    public String cassandraKeystoreType() {
        return get(CASSANDRA_KEYSTORE_TYPE);
    }

    public String checkpoint() {
        return get(CHECKPOINT);
    }

    public boolean backpressure() {
        return get(BACKPRESSURE);
    }

    public long receiverMaxRate() {
        return get(RECEIVER_MAX_RATE);
    }

    public int concurrentJobs() {
        return get(CONCURRENT_JOBS);
    }

    public int outputConcurrentWrites() {
        return get(OUTPUT_CONCURRENT_WRITES);
    }

    public String outputBatchSizeRows() {
        return get(OUTPUT_BATCH_SIZE_ROWS);
    }

    public int outputThroughputMb() {
        return get(OUTPUT_THROUGHPUT_MB);
    }

    public String outputConsistency() {
        return get(OUTPUT_CONSISTENCY);
    }

    public String readConsistency() {
        return get(READ_CONSISTENCY);
    }

    public Duration stopPollInterval() {
        return get(STOP_POLL_INTERVAL);
    }

    public Duration drainTimeout() {
        return get(DRAIN_TIMEOUT);
    }

    public Duration cassandraOutageLimit() {
        return get(CASSANDRA_OUTAGE_LIMIT);
    }

    public String launchId() {
        return get(LAUNCH_ID);
    }
}
