package io.streamcontrol.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcontrol.localserver.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CassandraConfigTest {

    @TempDir
    Path dir;

    private LocalCassandra.Settings.Builder settings() {
        return LocalCassandra.Settings.builder(dir.resolve("node"))
                .nativePort(19042)
                .storagePort(17000)
                .jmxPort(17199)
                .libDir(dir.resolve("lib"))
                .javaHome(Path.of("/opt/jdk17"));
    }

    @Test
    void yamlPutsEverythingBelowBaseDirOnLoopback() {
        String yaml = CassandraConfig.yaml(settings().build());
        Path node = dir.resolve("node");

        assertThat(yaml.lines()).contains(
                "cluster_name: \"stream-control\"",
                "num_tokens: 16",
                "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                "  - \"" + node.resolve("data") + "\"",
                "commitlog_directory: \"" + node.resolve("commitlog") + "\"",
                "saved_caches_directory: \"" + node.resolve("saved_caches") + "\"",
                "hints_directory: \"" + node.resolve("hints") + "\"",
                "cdc_raw_directory: \"" + node.resolve("cdc_raw") + "\"",
                "commitlog_sync: periodic",
                "commitlog_sync_period: 10000ms",
                "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
                "      - seeds: \"127.0.0.1:17000\"",
                "listen_address: 127.0.0.1",
                "rpc_address: 127.0.0.1",
                "storage_port: 17000",
                "native_transport_port: 19042",
                "start_native_transport: true",
                "endpoint_snitch: SimpleSnitch",
                "  class_name: org.apache.cassandra.auth.AllowAllAuthenticator",
                "  class_name: org.apache.cassandra.auth.AllowAllAuthorizer",
                "  class_name: org.apache.cassandra.auth.CassandraRoleManager",
                "auto_snapshot: false",
                "concurrent_compactors: 1",
                "concurrent_reads: 4",
                "concurrent_writes: 8",
                "commitlog_segment_size: 8MiB",
                "file_cache_size: 16MiB",
                "key_cache_size: 0MiB",
                "counter_cache_size: 0MiB",
                "memtable_heap_space: 64MiB",
                "memtable_offheap_space: 64MiB",
                "batch_size_warn_threshold: 64KiB",
                "batch_size_fail_threshold: 640KiB");
        assertThat(yaml).doesNotContain("0.0.0.0").doesNotContain("localhost").doesNotContain("_validity");
    }

    @Test
    void aClientKeystoreMakesTheCqlPortTlsOnly() {
        String yaml = CassandraConfig.yaml(settings().clientEncryption(dir.resolve("tls/server.p12"), "pw").build());

        assertThat(yaml.lines()).containsSequence(
                "client_encryption_options:",
                "  enabled: true",
                "  optional: false",
                "  keystore: \"" + dir.resolve("tls/server.p12").toAbsolutePath() + "\"",
                "  keystore_password: \"pw\"",
                "  store_type: PKCS12");
        assertThat(CassandraConfig.yaml(settings().build())).doesNotContain("client_encryption_options");
    }

    @Test
    void passwordsBecomeCqlLiterals() {
        assertThat(LocalCassandra.literal("it's")).isEqualTo("'it''s'");
    }

    @Test
    void memtablesTakeAQuarterOfALargerHeap() {
        assertThat(CassandraConfig.yaml(settings().heap("2g").build()).lines())
                .contains("memtable_heap_space: 512MiB", "memtable_offheap_space: 512MiB");
        assertThat(CassandraConfig.memtableMiB("1024m")).isEqualTo(256);
        assertThat(CassandraConfig.memtableMiB("128m")).isEqualTo(64);
    }

    @Test
    void yamlWithPasswordAuthenticationAndMoreWriters() {
        String yaml = CassandraConfig.yaml(settings()
                .passwordAuthentication(true).concurrentWrites(32).clusterName("bench \"A\"").build());

        assertThat(yaml.lines()).contains(
                "  class_name: org.apache.cassandra.auth.PasswordAuthenticator",
                "  class_name: org.apache.cassandra.auth.CassandraAuthorizer",
                "  class_name: org.apache.cassandra.auth.CassandraRoleManager",
                "concurrent_writes: 32",
                "cluster_name: \"bench \\\"A\\\"\"",
                "roles_validity: 1000ms",
                "permissions_validity: 1000ms",
                "credentials_validity: 1000ms");
        assertThat(yaml).doesNotContain("AllowAll");
    }

    @Test
    void logbackWritesInfoToSystemLogAndWarningsToTheConsole() {
        String xml = CassandraConfig.logbackXml(dir.resolve("logs"));

        assertThat(xml).contains("<file>" + dir.resolve("logs").resolve("system.log") + "</file>")
                .contains("<root level=\"INFO\">")
                .contains("ch.qos.logback.core.ConsoleAppender")
                .contains("<level>WARN</level>");
    }

    @Test
    void commandRunsCassandraDaemonWithJdk17Flags() {
        LocalCassandra.Settings s = settings().heap("512m").build();
        Path node = dir.resolve("node");
        Path jamm = dir.resolve("lib").resolve("jamm-0.4.0.jar");

        List<String> command = CassandraConfig.command(s, jamm);

        assertThat(command.get(0)).isEqualTo("/opt/jdk17/bin/java");
        assertThat(command).containsSubsequence(
                "-cp", dir.resolve("lib") + "/*", "org.apache.cassandra.service.CassandraDaemon");
        assertThat(command.get(command.size() - 1)).isEqualTo("org.apache.cassandra.service.CassandraDaemon");
        assertThat(command).contains(
                "-Xms512m", "-Xmx512m", "-Xss256k", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-Djdk.attach.allowAttachSelf=true",
                "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                "--add-exports=java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
                "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                "--add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED",
                "--add-exports=java.sql/java.sql=ALL-UNNAMED",
                "--add-exports=java.base/java.lang.ref=ALL-UNNAMED",
                "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
                "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                "--add-exports=jdk.attach/sun.tools.attach=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.module=ALL-UNNAMED",
                "--add-opens=java.base/jdk.internal.loader=ALL-UNNAMED",
                "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED",
                "--add-opens=java.base/jdk.internal.math=ALL-UNNAMED",
                "--add-opens=java.base/jdk.internal.module=ALL-UNNAMED",
                "--add-opens=java.base/jdk.internal.util.jar=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED",
                "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
                "-Dio.netty.tryReflectionSetAccessible=true",
                "-javaagent:" + jamm,
                "-Dcassandra.config=file://" + node.resolve("conf").resolve("cassandra.yaml"),
                "-Dcassandra.storagedir=" + node,
                "-Dcassandra.logdir=" + node.resolve("logs"),
                "-Dcassandra-foreground=yes",
                "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                "-Dcassandra.jmx.local.port=17199",
                "-Dlogback.configurationFile=" + node.resolve("conf").resolve("logback.xml"),
                "-Djava.net.preferIPv4Stack=true");
        assertThat(command).noneMatch(arg -> arg.contains("jmxremote") || arg.contains("0.0.0.0"));
    }

    @Test
    void findsTheJammAgentByName() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.createFile(lib.resolve("jamm-0.4.0.jar"));
        Files.createFile(lib.resolve("jammy-1.0.jar"));
        Files.createFile(lib.resolve("guava-32.0.1-jre.jar"));

        assertThat(CassandraConfig.findJammJar(lib)).isEqualTo(lib.resolve("jamm-0.4.0.jar"));
    }

    @Test
    void missingJammAgentIsExplained() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));

        assertThatThrownBy(() -> CassandraConfig.findJammJar(lib)).hasMessageContaining("No jamm-*.jar in " + lib);
        assertThatThrownBy(() -> CassandraConfig.findJammJar(dir.resolve("absent")))
                .hasMessageContaining("cassandra.lib.dir");
    }

    @Test
    void readsTheJavaVersionOfAJavaHome() throws Exception {
        Path jdk17 = fakeJdk("jdk17", "JAVA_VERSION=\"17.0.16\"");
        Path jdk25 = fakeJdk("jdk25", "JAVA_VERSION=\"25\"");

        assertThat(Jdk.featureVersion(jdk17)).contains(17);
        assertThat(Jdk.featureVersion(jdk25)).contains(25);
        assertThat(Jdk.featureVersion(dir)).isEmpty();
        CassandraConfig.checkJava(jdk17);
        assertThatThrownBy(() -> CassandraConfig.checkJava(jdk25)).hasMessageContaining("is Java 25");
        assertThatThrownBy(() -> CassandraConfig.checkJava(dir)).hasMessageContaining("No bin/java");
    }

    private Path fakeJdk(String name, String release) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Files.writeString(home.resolve("release"), release + "\n");
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        return home;
    }
}
