package io.streamcontrol.localserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/** The JDK a local server runs on: Java 17, the version the project pins. */
public final class Jdk {

    public static final int REQUIRED = 17;

    private Jdk() {
    }

    /** Fails unless javaHome has a bin/java of Java 17 (when its release file says the version). */
    public static void check(Path javaHome, String server) {
        if (!Files.isExecutable(javaHome.resolve("bin").resolve("java"))) {
            throw new IllegalStateException("No bin/java in " + javaHome);
        }
        Optional<Integer> version = featureVersion(javaHome);
        if (version.isPresent() && version.get() != REQUIRED) {
            throw new IllegalStateException(javaHome + " is Java " + version.get()
                    + "; " + server + " needs Java " + REQUIRED + " here (set javaHome or JAVA_HOME)");
        }
    }

    /** JAVA_HOME if it is a JDK 17, else this JVM's home. */
    public static Path defaultHome(String javaHomeEnv, String javaHomeProperty) {
        if (javaHomeEnv != null && !javaHomeEnv.isBlank()
                && featureVersion(Path.of(javaHomeEnv)).orElse(0) == REQUIRED) {
            return Path.of(javaHomeEnv);
        }
        return Path.of(javaHomeProperty);
    }

    /** The feature version (17, 25, ...) from javaHome/release, if that file says. */
    public static Optional<Integer> featureVersion(Path javaHome) {
        Path release = javaHome.resolve("release");
        if (!Files.isRegularFile(release)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (var in = Files.newInputStream(release)) {
            properties.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
        try {
            return Optional.of(Integer.parseInt(version.split("[.\\-+]")[0]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The java launcher of javaHome. */
    public static String java(Path javaHome) {
        return javaHome.resolve("bin").resolve("java").toString();
    }
}
