package io.streamcontrol.localserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;

/** Where a server's jars are: the folder its module's build copied them to, unless told otherwise. */
public final class LibDir {

    private LibDir() {
    }

    /**
     * The first non-blank of: a system property, an environment variable, and {@code key} in the build's properties
     * (which the server's module writes at build time); else fails with {@code whereFrom}, which says how to set one.
     */
    public static Path choose(String systemProperty, String environment, Properties buildProperties, String key,
            String whereFrom) {
        for (String candidate : new String[] {systemProperty, environment, buildProperties.getProperty(key)}) {
            if (candidate != null && !candidate.isBlank()) {
                return Path.of(candidate.trim());
            }
        }
        throw new IllegalStateException(whereFrom);
    }

    /** A properties resource of the module that owns it, empty if absent. */
    public static Properties buildProperties(Class<?> owner, String resource) {
        Properties properties = new Properties();
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
