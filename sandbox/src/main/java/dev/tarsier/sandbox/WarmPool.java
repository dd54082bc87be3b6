package dev.tarsier.sandbox;

import dev.tarsier.sandbox.PoolEffect.Destroy;
import dev.tarsier.sandbox.PoolEffect.FailWaiter;
import dev.tarsier.sandbox.PoolEffect.Freeze;
import dev.tarsier.sandbox.PoolEffect.HandOver;
import dev.tarsier.sandbox.PoolEffect.StartSandbox;
import dev.tarsier.sandbox.PoolEvent.AcquireRequested;
import dev.tarsier.sandbox.PoolEvent.ClockTicked;
import dev.tarsier.sandbox.PoolEvent.KeyRetired;
import dev.tarsier.sandbox.PoolEvent.PoolClosed;
import dev.tarsier.sandbox.PoolEvent.PrewarmSet;
import dev.tarsier.sandbox.PoolEvent.RunEnded;
import dev.tarsier.sandbox.PoolEvent.SandboxExited;
import dev.tarsier.sandbox.PoolEvent.SandboxFailedToStart;
import dev.tarsier.sandbox.PoolEvent.SandboxRemoved;
import dev.tarsier.sandbox.PoolEvent.SandboxStarted;
import dev.tarsier.sandbox.PoolState.Phase;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The pool of execution environments. {@link #acquire} gives an idle sandbox started for the same pool
 * key (warm), or starts a new one (cold); one invocation runs in a sandbox at a time. All sandboxes
 * together stay within a memory budget: idle ones are evicted least-recently-used first to make room,
 * and when nothing idle can go an acquisition waits, up to a bound, for a busy one. Idle sandboxes are
 * frozen after a short while and destroyed after their keep-alive; pre-warmed ones are kept.
 *
 * <p>The rules live in {@link PoolStep}, a pure state machine; this class feeds it events and performs
 * the effects it returns. All state lives on one Vert.x context; public methods may be called from any
 * thread and return futures.
 */
public final class WarmPool {
  private static final Logger LOG = Logger.getLogger(WarmPool.class.getName());
  /** Idle this long, a sandbox is frozen; a function in steady use never pays a thaw. */
  static final Duration FREEZE_AFTER = Duration.ofSeconds(1);
  /** How many sandboxes an event may be offered to when each goes before its runtime takes it. */
  private static final int MAX_DELIVERY_ATTEMPTS = 3;

  private final Vertx vertx;
  private final Context context;
  private final Clock clock;
  private final Sandboxes sandboxes;
  private final JavaArchives archives;
  private final Map<String, Sandbox> live = new HashMap<>();
  private final Map<Long, Waiting> waiting = new HashMap<>();
  private final Map<String, List<Promise<Void>>> prewarmWatchers = new LinkedHashMap<>();
  private final ArrayDeque<PoolEvent> events = new ArrayDeque<>();
  private final long memoryBudgetMb;
  private PoolState state;
  private boolean stepping;
  private long nextWaiter = 1;
  private long wakeTimer = -1;
  private Instant wakeAt;

  /** A caller waiting for a sandbox. */
  private record Waiting(Promise<Lease> promise, long sinceNanos, long timerId) {}

  WarmPool(Vertx vertx, Context context, Clock clock, Sandboxes sandboxes, JavaArchives archives, PoolState.Limits limits) {
    this.vertx = vertx;
    this.context = context;
    this.clock = clock;
    this.sandboxes = sandboxes;
    this.archives = archives;
    this.state = PoolState.empty(limits);
    this.memoryBudgetMb = limits.memoryBudgetMb();
  }

  /**
   * Chooses the isolation (runc containers, or plain processes where the configuration or the machine
   * says so), removes what a crashed run on the same data directory left behind, prepares the shared
   * root and runtime files, and returns a ready pool. Building the Java runtimes' start-up archives
   * goes on in the background (see {@link #archivesReady()}).
   */
  public static Future<WarmPool> create(Vertx vertx, SandboxConfig config, Clock clock) {
    return PoolSetup.create(vertx, config, clock);
  }

  /** The runtimes this machine offers. */
  public Set<RuntimeId> offeredRuntimes() {
    return sandboxes.runtimes.offered();
  }

  /** A plain statement of the isolation in force, for the start-up banner. */
  public String isolation() {
    return sandboxes.isolation.describe();
  }

  /** Completes when the Java runtimes' start-up archives are built (or could not be; cold starts are then slower). */
  public Future<Void> archivesReady() {
    return archives.ready();
  }

  /**
   * An idle sandbox for {@code spec}'s pool key, or a newly started one. Fails with
   * {@link SandboxFailure.InitFailed} when the runtime cannot start the function (and, for a while after,
   * with the same failure without trying again), {@link SandboxFailure.PoolExhausted} when no memory
   * comes free within the acquire timeout, {@link SandboxFailure.StartFailed} when the sandbox cannot be made.
   */
  public Future<Lease> acquire(SandboxSpec spec) {
    return onContext(() -> acquireOnContext(spec));
  }

  private Future<Lease> acquireOnContext(SandboxSpec spec) {
    long id = nextWaiter++;
    Promise<Lease> promise = Promise.promise();
    long timer = vertx.setTimer(state.limits().acquireTimeout().toMillis() + 1, t -> apply(new ClockTicked(clock.instant())));
    waiting.put(id, new Waiting(promise, System.nanoTime(), timer));
    apply(new AcquireRequested(id, spec, clock.instant()));
    return promise.future();
  }

  /**
   * Keeps {@code count} sandboxes of {@code spec} started (Lambda's provisioned concurrency): started now
   * as far as the memory budget allows (evicting idle sandboxes nobody keeps), replaced when they go,
   * exempt from keep-alive and eviction. A count of 0 stops it. Completes when that many are ready; fails
   * when their init fails.
   */
  public Future<Void> prewarm(SandboxSpec spec, int count) {
    return onContext(() -> {
      Promise<Void> ready = Promise.promise();
      prewarmWatchers.computeIfAbsent(spec.poolKey(), key -> new ArrayList<>()).add(ready);
      apply(new PrewarmSet(spec, count, clock.instant()));
      return ready.future();
    });
  }

  /** How far the pre-warm target of {@code poolKey} is met. */
  public Future<ProvisionedStatus> provisioned(String poolKey) {
    return onContext(() -> {
      PoolState.Prewarm target = state.prewarms().get(poolKey);
      PoolState.InitFailure failed = state.initFailures().get(poolKey);
      boolean held = failed != null && failed.heldAt(clock.instant());
      return Future.succeededFuture(new ProvisionedStatus(target == null ? 0 : target.count(), (int) readyProvisioned(poolKey),
          held ? failed.failure() : null));
    });
  }

  /** The memory all sandboxes together may have. */
  public long memoryBudgetMb() {
    return memoryBudgetMb;
  }

  /** The function behind {@code poolKey} changed: its idle sandboxes go now, busy ones when their run ends. */
  public Future<Void> retire(String poolKey) {
    return onContext(() -> {
      apply(new KeyRetired(poolKey, clock.instant()));
      return Future.succeededFuture();
    });
  }

  Future<RunResult> run(Lease lease, Invocation invocation) {
    return onContext(() -> runOnContext(lease, invocation, 1, 0));
  }

  private Future<RunResult> runOnContext(Lease lease, Invocation invocation, int attempt, long earlierWaitNanos) {
    Sandbox sandbox = lease.sandbox();
    return sandbox.run(invocation).transform(ran -> {
      apply(new RunEnded(sandbox.id(), ran.succeeded() && sandbox.state() == Sandbox.State.IDLE, clock.instant()));
      long waited = earlierWaitNanos + lease.queueNanos();
      if (ran.succeeded()) {
        Sandbox.Ran r = ran.result();
        return Future.succeededFuture(new RunResult(r.outcome(), r.log(), r.durationNanos(),
            lease.cold() ? sandbox.initNanos() : -1, lease.cold() ? sandbox.createNanos() : 0, r.maxMemoryBytes(),
            waited, lease.cold(), sandbox.id()));
      }
      if (!(ran.cause() instanceof EventNotDelivered notDelivered)) {
        return Future.failedFuture(ran.cause());
      }
      if (attempt >= MAX_DELIVERY_ATTEMPTS) {
        return Future.succeededFuture(new RunResult(new Outcome.Crashed("Runtime exited before it received the event, in "
            + attempt + " sandboxes in a row"), "", 0, -1, 0, 0, waited, false, sandbox.id()));
      }
      LOG.info(notDelivered.getMessage() + "; giving " + invocation.requestId() + " to another sandbox");
      long spent = lease.cold() ? sandbox.createNanos() + sandbox.initNanos() : 0;
      return acquireOnContext(sandbox.spec()).compose(next -> runOnContext(next, invocation, attempt + 1, waited + spent));
    });
  }

  /**
   * Destroys idle sandboxes whose keep-alive has run out at {@code now}, freezes those idle past the
   * freeze delay, fails waiters past their deadline, and returns how long until this next needs to run.
   * Called by the pool's own timer, and by tests with a moved clock.
   */
  public Future<Duration> reap(Instant now) {
    return onContext(() -> {
      apply(new ClockTicked(now));
      Instant next = state.nextWake(now);
      return Future.succeededFuture(next == null ? state.limits().keepAlive() : Duration.between(now, next));
    });
  }

  /** Sandboxes by state ({@code starting, idle, paused, busy, destroying}) and the callers {@code queued}. */
  public Future<Map<String, Integer>> states() {
    return onContext(() -> {
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (Phase phase : Phase.values()) {
        counts.put(phase.name().toLowerCase(java.util.Locale.ROOT), (int) state.count(phase));
      }
      counts.put("queued", state.queue().size());
      return Future.succeededFuture(counts);
    });
  }

  /** The current memory of each live sandbox's cgroup, by sandbox id (for the benchmark and metrics). */
  public Future<Map<String, Long>> memoryBytes() {
    return onContext(() -> {
      Map<String, Long> bytes = new LinkedHashMap<>();
      List<Future<Long>> readings = new ArrayList<>();
      for (Sandbox sandbox : live.values()) {
        readings.add(sandbox.memoryBytes().onSuccess(value -> bytes.put(sandbox.id(), value)));
      }
      return Future.join(readings).map(v -> bytes);
    });
  }

  /** Completes when the sandbox is gone; at once when it is not in the pool (tests use this to wait). */
  Future<Void> removal(String sandboxId) {
    return onContext(() -> {
      Sandbox sandbox = live.get(sandboxId);
      return sandbox == null ? Future.succeededFuture() : sandbox.destroyed();
    });
  }

  /** Completes when the freezes and thaws asked of the sandbox so far have taken effect (for tests). */
  Future<Void> freezerSettled(String sandboxId) {
    return onContext(() -> {
      Sandbox sandbox = live.get(sandboxId);
      return sandbox == null ? Future.succeededFuture() : sandbox.freezerSettled();
    });
  }

  /** Destroys every sandbox, stops building archives, and releases what the isolation made ahead. */
  public Future<Void> close() {
    return onContext(() -> {
      vertx.cancelTimer(wakeTimer);
      apply(new PoolClosed(clock.instant()));
      List<Future<Void>> teardowns = new ArrayList<>();
      for (Sandbox sandbox : List.copyOf(live.values())) {
        teardowns.add(sandbox.teardown());
      }
      teardowns.add(archives.close());
      return Future.join(teardowns).eventually(() -> sandboxes.blocking(() -> {
        sandboxes.isolation.close();
        return null;
      })).mapEmpty();
    });
  }

  /** Runs one event through the state machine and performs its effects; events raised meanwhile queue up. */
  private void apply(PoolEvent event) {
    events.add(event);
    if (stepping) {
      return;
    }
    stepping = true;
    try {
      while (!events.isEmpty()) {
        PoolStep step = PoolStep.of(state, events.poll());
        state = step.state();
        for (PoolEffect effect : step.effects()) {
          perform(effect);
        }
      }
    } finally {
      stepping = false;
    }
    notifyPrewarmWatchers();
    scheduleWake();
  }

  private void perform(PoolEffect effect) {
    switch (effect) {
      case StartSandbox start -> {
        Sandbox sandbox = sandboxes.create(start.sandboxId(), start.spec(), start.type(), this::sandboxExited);
        live.put(sandbox.id(), sandbox);
        sandbox.start().onComplete(started -> apply(started.succeeded()
            ? new SandboxStarted(sandbox.id(), clock.instant())
            : new SandboxFailedToStart(sandbox.id(), asSandboxFailure(started.cause()), clock.instant())));
      }
      case HandOver handOver -> {
        Waiting waiter = waiting.remove(handOver.waiterId());
        Sandbox sandbox = live.get(handOver.sandboxId());
        vertx.cancelTimer(waiter.timerId());
        Future<Void> thawed = handOver.thaw() ? sandbox.thaw() : Future.succeededFuture();
        thawed.onComplete(v -> {
          long waited = System.nanoTime() - waiter.sinceNanos()
              - (handOver.cold() ? sandbox.createNanos() + sandbox.initNanos() : 0);
          waiter.promise().complete(new Lease(this, sandbox, handOver.cold(), Math.max(0, waited)));
        });
      }
      case Freeze freeze -> live.get(freeze.sandboxId()).freeze();
      case Destroy destroy -> {
        LOG.fine(() -> "destroying sandbox " + destroy.sandboxId() + ": " + destroy.reason());
        Sandbox sandbox = live.get(destroy.sandboxId());
        Future<Void> gone = sandbox == null ? Future.succeededFuture() : sandbox.teardown();
        gone.onComplete(v -> {
          live.remove(destroy.sandboxId());
          apply(new SandboxRemoved(destroy.sandboxId(), clock.instant()));
        });
      }
      case FailWaiter fail -> {
        Waiting waiter = waiting.remove(fail.waiterId());
        vertx.cancelTimer(waiter.timerId());
        waiter.promise().fail(fail.failure());
      }
    }
  }

  private void sandboxExited(Sandbox sandbox) {
    apply(new SandboxExited(sandbox.id(), clock.instant()));
  }

  private void notifyPrewarmWatchers() {
    if (prewarmWatchers.isEmpty()) {
      return;
    }
    prewarmWatchers.entrySet().removeIf(watch -> {
      String key = watch.getKey();
      PoolState.Prewarm target = state.prewarms().get(key);
      PoolState.InitFailure failed = state.initFailures().get(key);
      if (target == null || readyProvisioned(key) >= target.count()) {
        watch.getValue().forEach(Promise::tryComplete);
        return true;
      }
      boolean held = failed != null && failed.heldAt(clock.instant());
      if (held || state.closed()) {
        SandboxFailure failure = held ? failed.failure() : new SandboxFailure.StartFailed("the pool is closed", null);
        watch.getValue().forEach(promise -> promise.tryFail(failure));
        return true;
      }
      return false;
    });
  }

  private long readyProvisioned(String key) {
    return state.slots().values().stream()
        .filter(slot -> slot.key().equals(key) && slot.provisioned() && !slot.retired() && (slot.idle() || slot.phase() == Phase.BUSY))
        .count();
  }

  /** Keeps one timer set for the earliest moment a clock tick would change something. */
  private void scheduleWake() {
    if (state.closed()) {
      return;
    }
    Instant now = clock.instant();
    Instant next = state.nextWake(now);
    if (next == null || (wakeAt != null && !next.isBefore(wakeAt))) {
      return;
    }
    vertx.cancelTimer(wakeTimer);
    wakeAt = next;
    wakeTimer = vertx.setTimer(Math.max(10, Duration.between(now, next).toMillis()), t -> {
      wakeAt = null;
      apply(new ClockTicked(clock.instant()));
    });
  }

  private static SandboxFailure asSandboxFailure(Throwable failure) {
    return failure instanceof SandboxFailure known ? known : new SandboxFailure.StartFailed("could not start a sandbox: " + failure, failure);
  }

  /** Runs {@code work} on the pool's context: at once when already there (the invoker usually is), else queued to it. */
  private <T> Future<T> onContext(Supplier<Future<T>> work) {
    if (Vertx.currentContext() == context) {
      try {
        return work.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
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
}
