package io.streamcontrol.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Creates a topic and waits until every partition has a leader. Runs in a child JVM with the broker's jars (see
 * {@link LocalKafka#createTopic}), so that their kafka-clients 4.x never loads in the caller's JVM. Exits 0 when
 * done, else 1 with the reason on standard error (2 for a wrong command line).
 */
final class TopicTool {

    static final String USAGE = "Usage: TopicTool BOOTSTRAP_SERVERS create TOPIC PARTITIONS";
    private static final Duration LEADERS_TIMEOUT = Duration.ofSeconds(30);

    private TopicTool() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 4 || !args[1].equals("create")) {
            System.err.println(USAGE);
            System.exit(2);
        }
        String topic = args[2];
        int partitions = Integer.parseInt(args[3]);
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            awaitLeaders(admin, topic, partitions);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println(cause.getClass().getSimpleName() + ": " + cause.getMessage());
            System.exit(1);
        }
    }

    private static void awaitLeaders(Admin admin, String topic, int partitions)
            throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + LEADERS_TIMEOUT.toNanos();
        while (true) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            List<TopicPartitionInfo> infos = description.partitions();
            if (infos.size() == partitions && infos.stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                System.err.println("Topic " + topic + " was created, but not all of its " + partitions
                        + " partitions have a leader after " + LEADERS_TIMEOUT + ": " + infos);
                System.exit(1);
            }
            Thread.sleep(100);
        }
    }
}
