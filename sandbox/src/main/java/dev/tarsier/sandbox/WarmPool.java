package dev.tarsier.sandbox;

import dev.tarsier.sandbox.runc.Runc;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The pool of execution environments. {@link #acquire} gives an idle sandbox started for the same pool
 * key (warm), or starts a new one (cold); one invocation runs in a sandbox at a time. Idle sandboxes
 * are destroyed after the keep-alive. All state lives on one Vert.x context; public methods may be
 * called from any thread.
 */
public final class WarmPool {
  private static final Logger LOG = Logger.getLogger(WarmPool.class.getName());

  private final Vertx vertx;
  private final Context context;
  private final SandboxConfig config;
  private final Clock clock;
  private final Runc runc;
  private final Runtimes runtimes;
  private final Map<String, Deque<Sandbox>> idle = new HashMap<>();
  private final Set<Sandbox> all = new HashSet<>();
  private long reapTimer = -1;
  private boolean closed;

  private WarmPool(Vertx vertx, SandboxConfig config, Clock clock, Runc runc, Runtimes runtimes) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.config = config;
    this.clock = clock;
    this.runc = runc;
    this.runtimes = runtimes;
  }

  /**
   * Prepares the shared root and runtime files, removes containers a crashed run left behind, and
   * returns a ready pool. Fails when this machine has no runc or the caller is not root.
   */
  public static Future<WarmPool> create(Vertx vertx, SandboxConfig config, Clock clock) {
    return vertx.executeBlocking(() -> {
      Path runcBinary = Runc.locate();
      if (runcBinary == null) {
        throw new SandboxFailure.StartFailed("runc is not installed (apt-get install -y runc)", null);
      }
      if (!"root".equals(System.getProperty("user.name"))) {
        throw new SandboxFailure.StartFailed("sandboxes need root to create containers; running as " + System.getProperty("user.name"), null);
      }
      Runc runc = new Runc(runcBinary, config.runcRoot());
      removeLeftovers(runc, config);
      RootFs.prepare(config.rootfsDir(), config.sandboxUid());
      Runtimes runtimes = Runtimes.prepare(config.runtimesDir());
      return new WarmPool(vertx, config, clock, runc, runtimes);
    }).onSuccess(pool -> pool.context.runOnContext(v -> pool.scheduleReap(config.keepAlive())));
  }

  /** The runtimes this machine offers. */
  public Set<RuntimeId> offeredRuntimes() {
    return runtimes.offered();
  }

  /** A short statement of the isolation in force, for the start-up banner. */
  public String isolation() {
    return "runc containers (pid, mount, ipc, uts namespaces; read-only root; cgroup memory, cpu, pids limits)";
  }

  /** An idle sandbox for {@code spec}'s pool key, or a newly started one. */
  public Future<Lease> acquire(SandboxSpec spec) {
    return onContext(() -> {
      if (closed) {
        return Future.failedFuture(new SandboxFailure.StartFailed("the pool is closed", null));
      }
      Deque<Sandbox> candidates = idle.get(spec.poolKey());
      Sandbox warm = candidates == null ? null : candidates.pollFirst();
      if (warm != null) {
        return Future.succeededFuture(new Lease(this, warm, false));
      }
      Sandbox sandbox = new Sandbox(newId(), spec, vertx, context, runc, runtimes, config, this::gone);
      all.add(sandbox);
      return sandbox.start().map(started -> new Lease(this, started, true));
    });
  }

  Future<RunResult> run(Sandbox sandbox, Invocation invocation) {
    return onContext(() -> sandbox.run(invocation).onComplete(done -> release(sandbox)));
  }

  private void release(Sandbox sandbox) {
    if (sandbox.state() == Sandbox.State.IDLE && !closed) {
      sandbox.markIdle(clock.instant());
      idle.computeIfAbsent(sandbox.spec().poolKey(), key -> new ArrayDeque<>()).addFirst(sandbox);
    }
  }

  private void gone(Sandbox sandbox) {
    all.remove(sandbox);
    Deque<Sandbox> candidates = idle.get(sandbox.spec().poolKey());
    if (candidates != null) {
      candidates.remove(sandbox);
      if (candidates.isEmpty()) {
        idle.remove(sandbox.spec().poolKey());
      }
    }
  }

  /**
   * Destroys idle sandboxes whose keep-alive has run out at {@code now} and returns how long until the
   * next one will; called by the pool's own timer, and by tests with a moved clock.
   */
  public Future<Duration> reap(Instant now) {
    return onContext(() -> Future.succeededFuture(reapOnContext(now)));
  }

  private Duration reapOnContext(Instant now) {
    Duration next = config.keepAlive();
    for (Sandbox sandbox : List.copyOf(all)) {
      if (sandbox.state() != Sandbox.State.IDLE || sandbox.idleSince() == null || !isIdle(sandbox)) {
        continue;
      }
      Duration idleFor = Duration.between(sandbox.idleSince(), now);
      if (idleFor.compareTo(config.keepAlive()) >= 0) {
        gone(sandbox);
        sandbox.teardown();
      } else {
        Duration left = config.keepAlive().minus(idleFor);
        next = left.compareTo(next) < 0 ? left : next;
      }
    }
    return next;
  }

  private boolean isIdle(Sandbox sandbox) {
    Deque<Sandbox> candidates = idle.get(sandbox.spec().poolKey());
    return candidates != null && candidates.contains(sandbox);
  }

  private void scheduleReap(Duration delay) {
    if (closed) {
      return;
    }
    reapTimer = vertx.setTimer(Math.max(1000, delay.toMillis()), timer -> scheduleReap(reapOnContext(clock.instant())));
  }

  /** Sandboxes by state, for metrics and error messages. */
  public Future<Map<String, Integer>> states() {
    return onContext(() -> {
      Map<String, Integer> counts = new HashMap<>();
      for (Sandbox sandbox : all) {
        counts.merge(sandbox.state().name().toLowerCase(), 1, Integer::sum);
      }
      return Future.succeededFuture(counts);
    });
  }

  /** Destroys every sandbox. */
  public Future<Void> close() {
    return onContext(() -> {
      closed = true;
      vertx.cancelTimer(reapTimer);
      idle.clear();
      List<Future<Void>> teardowns = new ArrayList<>();
      for (Sandbox sandbox : List.copyOf(all)) {
        teardowns.add(sandbox.teardown());
      }
      return Future.join(teardowns).mapEmpty();
    });
  }

  private <T> Future<T> onContext(Supplier<Future<T>> work) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        work.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  private static String newId() {
    return "tsr-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  /** Kills and deletes containers a previous run of this platform left behind, and their bundles. */
  private static void removeLeftovers(Runc runc, SandboxConfig config) throws IOException {
    for (String id : runc.list()) {
      LOG.info("removing container left by a previous run: " + id);
      runc.kill(id, "KILL");
      runc.delete(id);
    }
    if (Files.isDirectory(config.sandboxesDir())) {
      ContainerFiles.removeDirectory(config.sandboxesDir());
    }
    Files.createDirectories(config.sandboxesDir());
  }
}
