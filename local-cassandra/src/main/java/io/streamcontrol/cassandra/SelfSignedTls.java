package io.streamcontrol.cassandra;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed server certificate for 127.0.0.1 (and localhost, the name drivers may verify) made with the JDK's
 * keytool, for tests of TLS to a local server: {@code keystore} (PKCS12, the server's key and certificate) and
 * {@code truststore} (PKCS12, that certificate only).
 *
 * @param keystore the server's keystore, for {@link LocalCassandra.Settings.Builder#clientEncryption}
 * @param keystorePassword its password (and its key's)
 * @param truststore what clients trust: the certificate
 * @param truststorePassword its password
 */
public record SelfSignedTls(Path keystore, String keystorePassword, Path truststore, String truststorePassword) {

    /** Creates {@code server-keystore.p12} and {@code truststore.p12} in {@code dir}, valid for two days. */
    public static SelfSignedTls create(Path dir, String keystorePassword, String truststorePassword, Path javaHome)
            throws IOException {
        Files.createDirectories(dir);
        Path keystore = dir.resolve("server-keystore.p12");
        Path certificate = dir.resolve("server.crt");
        Path truststore = dir.resolve("truststore.p12");
        for (Path file : List.of(keystore, certificate, truststore)) {
            Files.deleteIfExists(file);
        }
        String keytool = javaHome.resolve("bin").resolve("keytool").toString();
        run(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + LocalCassandra.HOST, "-ext", "SAN=IP:" + LocalCassandra.HOST + ",DNS:localhost",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", keystorePassword,
                "-keypass", keystorePassword);
        run(keytool, "-exportcert", "-alias", "server", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", keystorePassword, "-rfc", "-file", certificate.toString());
        run(keytool, "-importcert", "-noprompt", "-alias", "server", "-file", certificate.toString(),
                "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", truststorePassword);
        return new SelfSignedTls(keystore, keystorePassword, truststore, truststorePassword);
    }

    /** A client context that trusts the certificate (and nothing else). */
    public SSLContext clientContext() {
        try (InputStream in = Files.newInputStream(truststore)) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(in, truststorePassword.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the truststore " + truststore, e);
        }
    }

    private static void run(String... command) throws IOException {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes());
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("keytool " + command[1] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while running keytool", e);
        }
    }
}
