package io.streamcontrol.localserver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the settings builder of every local server has: its folder, heap, jars, JDK and how long it may take to start.
 * A server's own builder adds its ports and options and builds its settings record from these.
 */
public abstract class ServerSettingsBuilder<B extends ServerSettingsBuilder<B>> {

    protected final Path baseDir;
    protected String heap;
    protected Duration startupTimeout;
    private Path libDir;
    private Path javaHome;

    protected ServerSettingsBuilder(Path baseDir, String defaultHeap, Duration defaultStartupTimeout) {
        this.baseDir = Objects.requireNonNull(baseDir, "baseDir");
        this.heap = defaultHeap;
        this.startupTimeout = defaultStartupTimeout;
    }

    public B heap(String heap) {
        this.heap = heap;
        return self();
    }

    public B libDir(Path libDir) {
        this.libDir = libDir;
        return self();
    }

    public B javaHome(Path javaHome) {
        this.javaHome = javaHome;
        return self();
    }

    public B startupTimeout(Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
        return self();
    }

    /** The jars given, else the server's default folder (asked only then: it fails when there is none). */
    protected Path libDirOr(Supplier<Path> defaultLibDir) {
        return libDir != null ? libDir : defaultLibDir.get();
    }

    /** The JDK given, else JAVA_HOME if it is a JDK 17, else this JVM's home. */
    protected Path javaHomeOrDefault() {
        return javaHome != null ? javaHome
                : Jdk.defaultHome(System.getenv("JAVA_HOME"), System.getProperty("java.home"));
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
