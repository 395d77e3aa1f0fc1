package io.streamcontrol.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The chart rendered by real Helm (helm-java), parsed into one map per Kubernetes object. */
final class RenderedChart {

    static final Path CHART_DIR = Path.of(System.getProperty("chart.dir", "stream-control")).toAbsolutePath();
    static final String RELEASE = "demo";
    static final String NAMESPACE = "analytics";
    static final String FULLNAME = "demo-stream-control";

    final String manifests;
    final List<Map<String, Object>> objects;

    private RenderedChart(String manifests) {
        this.manifests = manifests;
        this.objects = parseAll(manifests);
    }

    /** helm template demo stream-control --namespace analytics [-f values] */
    static RenderedChart render(Path... valuesFiles) {
        TemplateCommand template = new Helm(CHART_DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (Path values : valuesFiles) {
            template = template.withValuesFile(values);
        }
        return new RenderedChart(template.call());
    }

    /** Renders with values given as YAML text (written to a file in dir). */
    static RenderedChart renderYaml(Path dir, String valuesYaml) {
        return render(write(dir, valuesYaml));
    }

    static Path write(Path dir, String valuesYaml) {
        try {
            Path file = Files.createTempFile(dir, "values-", ".yaml");
            Files.writeString(file, valuesYaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The control service's real /actuator/prometheus while a job runs, written by its JobLifecycleIT (control-service
     * is built and tested before this module, so {@code ./mvnw verify} always has it).
     */
    static Path serviceScrape() {
        Path scrape = Path.of(System.getProperty("service.scrape",
                "../control-service/target/prometheus/actuator-prometheus.txt")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(scrape)) {
            throw new AssertionError("No scrape of the control service at " + scrape + ": run the control service's"
                    + " JobLifecycleIT first (./mvnw verify runs it before this module)");
        }
        return scrape;
    }

    static Path testResource(String name) {
        try {
            return Path.of(Objects.requireNonNull(RenderedChart.class.getResource("/" + name), name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Map<String, Object>> parseAll(String yaml) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (Object document : yaml().loadAll(yaml)) {
            if (document != null) {
                result.add(map(document));
            }
        }
        return result;
    }

    static Object parse(String yaml) {
        return yaml().load(yaml);
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    boolean has(String kind) {
        return !ofKind(kind).isEmpty();
    }

    /** The one object of that kind and name; fails if absent. */
    Map<String, Object> get(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(at(o, "metadata.name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in:\n" + manifests));
    }

    Map<String, Object> deployment() {
        return get("Deployment", FULLNAME);
    }

    Map<String, Object> container() {
        List<Object> containers = list(at(deployment(), "spec.template.spec.containers"));
        return map(containers.get(0));
    }

    /** The service's application.yaml from the ConfigMap, parsed. */
    Map<String, Object> applicationConfig() {
        return map(parse((String) at(get("ConfigMap", FULLNAME), "data.application\\.yaml")));
    }

    /** The env entry of that name in the service container, or null. */
    Map<String, Object> env(String name) {
        return list(container().get("env")).stream().map(RenderedChart::map).filter(e -> name.equals(e.get("name")))
                .findFirst().orElse(null);
    }

    Map<String, Object> volume(String name) {
        return list(at(deployment(), "spec.template.spec.volumes")).stream().map(RenderedChart::map)
                .filter(v -> name.equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    Map<String, Object> volumeMount(String name) {
        return list(container().get("volumeMounts")).stream().map(RenderedChart::map)
                .filter(v -> name.equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no volume mount " + name));
    }

    /** A value at a dotted path ("a.b.c"; a literal dot in a key is written "\\."), or null. */
    static Object at(Object root, String path) {
        Object current = root;
        for (String key : path.split("(?<!\\\\)\\.")) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key.replace("\\.", "."));
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (!(value instanceof Map)) {
            throw new AssertionError("not a map: " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List)) {
            throw new AssertionError("not a list: " + value);
        }
        return (List<Object>) value;
    }
}
