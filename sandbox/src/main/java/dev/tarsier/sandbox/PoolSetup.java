package dev.tarsier.sandbox;

import dev.tarsier.sandbox.runc.Runc;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * Makes a {@link WarmPool} ready, as a script: choose the isolation → remove what a crashed run left →
 * prepare the shared root and the runtimes → start building the Java archives in the background.
 */
final class PoolSetup {
  private static final Logger LOG = Logger.getLogger(PoolSetup.class.getName());

  private PoolSetup() {}

  static Future<WarmPool> create(Vertx vertx, SandboxConfig config, Clock clock) {
    Context context = vertx.getOrCreateContext();
    String idScope = idScope(config);
    return vertx.executeBlocking(() -> {
      Isolation isolation = chooseIsolation(config, idScope);
      removeLeftovers(isolation, config);
      if (isolation instanceof RuncIsolation) {
        RootFs.prepare(config.rootfsDir(), config.sandboxUid());
      }
      Runtimes runtimes = Runtimes.prepare(config.runtimesDir());
      LOG.info("sandbox isolation: " + isolation.describe());
      return new Parts(isolation, runtimes);
    }).map(parts -> {
      boolean archives = config.javaArchives() && parts.isolation() instanceof RuncIsolation;
      JavaArchives javaArchives = archives ? new JavaArchives(config.runtimesDir().resolve("java"), idScope) : JavaArchives.none();
      Sandboxes sandboxes = new Sandboxes(vertx, context, parts.isolation(), parts.runtimes(), javaArchives,
          config.sandboxesDir(), config.startTimeout());
      PoolState.Limits limits = new PoolState.Limits(config.memoryBudgetMb(), config.keepAlive(), config.acquireTimeout(),
          config.initFailureHold(), idScope + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()),
          parts.isolation().freezes() ? WarmPool.FREEZE_AFTER : null);
      WarmPool pool = new WarmPool(vertx, context, clock, sandboxes, javaArchives, limits);
      context.runOnContext(v -> javaArchives.build(sandboxes));
      return pool;
    });
  }

  /** Built with {@link WarmPool#create} for tests that put a hand-written isolation in place of the OS. */
  static WarmPool withIsolation(Vertx vertx, SandboxConfig config, Clock clock, Isolation isolation, Runtimes runtimes) {
    Context context = vertx.getOrCreateContext();
    Sandboxes sandboxes = new Sandboxes(vertx, context, isolation, runtimes, JavaArchives.none(), config.sandboxesDir(),
        config.startTimeout());
    PoolState.Limits limits = new PoolState.Limits(config.memoryBudgetMb(), config.keepAlive(), config.acquireTimeout(),
        config.initFailureHold(), "tsr-test", isolation.freezes() ? WarmPool.FREEZE_AFTER : null);
    return new WarmPool(vertx, context, clock, sandboxes, JavaArchives.none(), limits);
  }

  private record Parts(Isolation isolation, Runtimes runtimes) {}

  private static Isolation chooseIsolation(SandboxConfig config, String idScope) {
    java.nio.file.Path runcBinary = Runc.locate();
    boolean root = "root".equals(System.getProperty("user.name"));
    String missing = runcBinary == null ? "runc is not installed (apt-get install -y runc)"
        : !root ? "sandboxes need root to create containers; running as " + System.getProperty("user.name") : null;
    return switch (config.isolation()) {
      case RUNC -> {
        if (missing != null) {
          throw new SandboxFailure.StartFailed(missing, null);
        }
        yield new RuncIsolation(new Runc(runcBinary, config.runcRoot()), config, config.runtimesDir(), idScope);
      }
      case PROCESS -> new ProcessIsolation(config, config.runtimesDir(), "configured");
      case AUTO -> missing == null
          ? new RuncIsolation(new Runc(runcBinary, config.runcRoot()), config, config.runtimesDir(), idScope)
          : new ProcessIsolation(config, config.runtimesDir(), missing);
    };
  }

  /**
   * Kills and deletes what a previous run on this data directory left: runc containers and their cgroups
   * (and runtime processes, had it run without runc), then the bundles.
   */
  private static void removeLeftovers(Isolation isolation, SandboxConfig config) throws IOException {
    isolation.removeLeftovers();
    if (!(isolation instanceof ProcessIsolation)) {
      // A previous run may have used plain processes on the same data directory.
      new ProcessIsolation(config, config.runtimesDir(), "cleanup").removeLeftovers();
    }
    RuntimeOutput.removeDirectory(config.sandboxesDir());
    Files.createDirectories(config.sandboxesDir());
  }

  /**
   * The start of every sandbox id made on this data directory: sandboxes of other data directories (other
   * platforms on the same machine) share the cgroup parent, and start-up must remove only its own.
   */
  static String idScope(SandboxConfig config) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(config.dataDir().toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      return "tsr-" + HexFormat.of().formatHex(hash, 0, 3);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
