/*
 * Starts one OpenSearch 2.19 node from the jars on the classpath, for newsdex's tests.
 *
 * The public Node constructor loads no classpath plugins, so this subclass calls the protected
 * one with the three modules newsdex needs: HTTP and transport (Netty4Plugin), the `english`
 * analyzer (CommonAnalysisPlugin) and `_delete_by_query` (ReindexPlugin). The node binds to
 * 127.0.0.1 only. It stops when its standard input reaches end of file (so a test process that
 * dies leaves no JVM behind) and on SIGTERM (through the JVM's shutdown hook).
 *
 * Usage:
 *   java -cp 'target/classes:target/lib/*' org.newsdex.testnode.TestNode \
 *     --home DIR --name NAME --http-port P --transport-port P [--cluster NAME] \
 *     [--roles r1,r2] [--seed-hosts host:port,...] [--initial-managers name,...] [-Ekey=value...]
 *
 * Without --seed-hosts the node runs with discovery.type=single-node.
 */
package org.newsdex.testnode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/** One OpenSearch node with the classpath plugins newsdex's tests need. */
public final class TestNode extends Node {
    /** The modules loaded from the classpath. */
    static final List<Class<? extends Plugin>> PLUGINS =
            List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, ReindexPlugin.class);

    TestNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
        super(environment, plugins, true);
    }

    /** Parses the arguments into node settings; exits with status 2 on a bad argument. */
    static Settings parse(String[] args) {
        Settings.Builder b = Settings.builder()
                .put("cluster.name", "newsdex-test")
                .put("network.host", "127.0.0.1")
                .put("cluster.routing.allocation.disk.threshold_enabled", false);
        String home = null;
        String name = null;
        String seeds = null;
        String managers = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("-E")) {
                int eq = a.indexOf('=');
                if (eq < 3) {
                    usage("bad setting " + a + " (want -Ekey=value)");
                }
                b.put(a.substring(2, eq), a.substring(eq + 1));
                continue;
            }
            if (i + 1 >= args.length) {
                usage("missing value after " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--home" -> home = v;
                case "--name" -> name = v;
                case "--cluster" -> b.put("cluster.name", v);
                case "--http-port" -> b.put("http.port", port(a, v));
                case "--transport-port" -> b.put("transport.port", port(a, v));
                case "--roles" -> b.putList("node.roles", v.isEmpty() ? List.of() : List.of(v.split(",")));
                case "--seed-hosts" -> seeds = v;
                case "--initial-managers" -> managers = v;
                default -> usage("unknown argument " + a);
            }
        }
        if (home == null || name == null) {
            usage("--home and --name are required");
        }
        Path homeDir = Path.of(home).toAbsolutePath();
        b.put("path.home", homeDir.toString())
                .put("path.data", homeDir.resolve("data").toString())
                .put("path.logs", homeDir.resolve("logs").toString())
                .put("node.name", name);
        if (seeds == null) {
            b.put("discovery.type", "single-node");
        } else {
            b.putList("discovery.seed_hosts", List.of(seeds.split(",")));
            if (managers != null) {
                b.putList("cluster.initial_cluster_manager_nodes", List.of(managers.split(",")));
            }
        }
        return b.build();
    }

    static int port(String flag, String v) {
        try {
            int p = Integer.parseInt(v);
            if (p > 0 && p < 65536) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage(flag + " wants a port number, got " + v);
        return 0;
    }

    static void usage(String why) {
        System.err.println("TestNode: " + why);
        System.err.println("usage: TestNode --home DIR --name NAME --http-port P --transport-port P"
                + " [--cluster NAME] [--roles r1,r2] [--seed-hosts host:port,...]"
                + " [--initial-managers name,...] [-Ekey=value...]");
        System.exit(2);
    }

    public static void main(String[] args) throws Exception {
        Settings settings = parse(args);
        String name = settings.get("node.name");
        Path home = Path.of(settings.get("path.home"));
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));
        // Watch stdin from the start, so a node whose owner dies while it boots exits too.
        Thread watcher = new Thread(() -> {
            InputStream in = System.in;
            byte[] buf = new byte[256];
            try {
                while (in.read(buf) >= 0) {
                    // drain until end of file
                }
            } catch (IOException e) {
                // a broken stdin counts as closed
            }
            System.err.println("TestNode: standard input closed, stopping " + name);
            System.exit(0);
        }, "testnode-stdin");
        watcher.setDaemon(true);
        AtomicReference<TestNode> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            TestNode node = running.get();
            if (node != null) {
                try {
                    node.close();
                    node.awaitClose(30, TimeUnit.SECONDS);
                } catch (IOException | InterruptedException e) {
                    System.err.println("TestNode: error while closing: " + e);
                }
            }
            stopped.countDown();
        }, "testnode-shutdown"));
        watcher.start();
        Environment env = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> name);
        TestNode node = new TestNode(env, PLUGINS);
        running.set(node);
        node.start();
        System.err.println("TestNode: " + name + " started");
        stopped.await();
    }
}
