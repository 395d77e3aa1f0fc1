package io.streamcontrol.contract.settings;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How the job's keyspace is replicated when it is created: {@code NetworkTopologyStrategy} with a replication factor
 * per datacenter ({@code dc1:3,dc2:2}), or, without datacenters, {@code SimpleStrategy} with one replication factor
 * (a single-datacenter development cluster).
 */
public record Replication(int factor, Map<String, Integer> datacenters) implements Serializable {

    private static final Pattern DATACENTER = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    static final int MAX_FACTOR = 9;

    public Replication {
        datacenters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(datacenters));
    }

    public static Replication simple(int factor) {
        return new Replication(factor, Map.of());
    }

    /**
     * {@code dc1:3,dc2:2} (NetworkTopologyStrategy); empty text means SimpleStrategy with {@code factor}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Replication parse(String text, int factor) {
        if (text == null || text.isBlank()) {
            return simple(factor);
        }
        Map<String, Integer> datacenters = new LinkedHashMap<>();
        for (String entry : text.split(",", -1)) {
            String[] parts = entry.trim().split(":", -1);
            if (parts.length != 2 || !DATACENTER.matcher(parts[0]).matches()) {
                throw new IllegalArgumentException("'" + text + "' must list datacenter:replicas pairs, e.g. dc1:3,dc2:2");
            }
            int replicas;
            try {
                replicas = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': replicas of " + parts[0] + " is not a number");
            }
            if (replicas < 1 || replicas > MAX_FACTOR) {
                throw new IllegalArgumentException("'" + text + "': replicas of " + parts[0] + " must be 1.." + MAX_FACTOR);
            }
            if (datacenters.put(parts[0], replicas) != null) {
                throw new IllegalArgumentException("'" + text + "' names " + parts[0] + " twice");
            }
        }
        return new Replication(factor, datacenters);
    }

    public boolean isNetworkTopology() {
        return !datacenters.isEmpty();
    }

    /** The CQL replication map of {@code CREATE KEYSPACE ... WITH replication = ...}. */
    public String cql() {
        if (!isNetworkTopology()) {
            return "{'class': 'SimpleStrategy', 'replication_factor': " + factor + "}";
        }
        return datacenters.entrySet().stream().map(e -> "'" + e.getKey() + "': " + e.getValue())
                .collect(Collectors.joining(", ", "{'class': 'NetworkTopologyStrategy', ", "}"));
    }

    /** The datacenters as the setting writes them ({@code dc1:3,dc2:2}); empty for SimpleStrategy. */
    public String datacentersText() {
        return datacenters.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
