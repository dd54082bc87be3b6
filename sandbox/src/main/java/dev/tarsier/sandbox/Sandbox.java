package dev.tarsier.sandbox;

import dev.tarsier.sandbox.runtimeapi.NextEvent;
import dev.tarsier.sandbox.runtimeapi.RuntimeApiListener;
import dev.tarsier.sandbox.runtimeapi.RuntimeApiServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One execution environment: a runtime in a {@link Container}, and the Runtime API listener that belongs
 * to it alone. Lives on the pool's context; every method and callback runs there.
 *
 * <p>States: {@code STARTING → IDLE ⇄ BUSY → DESTROYING → DESTROYED}. A timeout, crash or OOM destroys
 * the sandbox before the run's result is given, so nothing of it is left when the caller hears back.
 *
 * <p>Faults: the one parked {@code /next} is the only way an event reaches the runtime. An event is
 * handed over when it is written to that request's connection; a run whose event was handed over and
 * that gets no answer ends as a crash (or OOM, or timeout). A run whose event could not be handed over,
 * because the runtime died or dropped its {@code /next} first, fails with {@link EventNotDelivered} so
 * the pool gives the event to another sandbox. A runtime that breaks the protocol (two {@code /next} at
 * once, dropping its {@code /next}, asking for the next event without answering the one it holds) is
 * destroyed.
 *
 * <p>Longer than our files usually are, on purpose: the runtime's calls, its exit and the deadline all
 * move the same few fields, and keeping every transition in one class keeps them readable side by side.
 */
final class Sandbox implements RuntimeApiListener {
  private static final Logger LOG = Logger.getLogger(Sandbox.class.getName());

  enum State { STARTING, IDLE, BUSY, DESTROYING, DESTROYED }

  /**
   * How long to wait, after a runtime answers, for its next {@code /next}. Runtimes may still write the
   * event's log lines after answering (the Java client logs an error after posting it); asking for the
   * next event is the point where everything about this one has been written.
   */
  private static final long SETTLE_MS = 50;
  /** How long a killed runtime may take to exit before its sandbox is removed anyway. */
  private static final long EXIT_WAIT_MS = 10_000;

  private final String id;
  private final SandboxSpec spec;
  private final InitializationType type;
  private final Sandboxes shared;
  private final Consumer<Sandbox> onExited;
  private final Path dir;
  private final RuntimeOutput output;
  private final Promise<Void> ready = Promise.promise();
  private final Promise<Integer> exited = Promise.promise();
  private final Promise<Void> destroyed = Promise.promise();

  private State state = State.STARTING;
  private RuntimeApiServer api;
  private Container container;
  private HttpServerResponse parkedNext;
  private SandboxRun running;
  private long startedNanos;
  private long createNanos;
  private long initNanos;
  private Outcome.InitFailed initFailure;
  private final FreezerQueue freezer;
  private Future<Container> launching;
  private Future<Void> teardown;
  /** Asked to exit: its requests ending is expected, not a broken rule. */
  private boolean terminating;

  /** What a run produced, before the pool adds what it knows (queue wait, cold or warm). */
  record Ran(Outcome outcome, String log, long durationNanos, long maxMemoryBytes) {}

  Sandbox(String id, SandboxSpec spec, InitializationType type, Sandboxes shared, Consumer<Sandbox> onExited) {
    this.id = id;
    this.spec = spec;
    this.type = type;
    this.shared = shared;
    this.onExited = onExited;
    this.dir = shared.sandboxesDir.resolve(id);
    this.output = new RuntimeOutput(dir.resolve("output.log"));
    this.freezer = new FreezerQueue(shared);
  }

  String id() {
    return id;
  }

  SandboxSpec spec() {
    return spec;
  }

  State state() {
    return state;
  }

  long createNanos() {
    return createNanos;
  }

  long initNanos() {
    return initNanos;
  }

  /** Completes when the sandbox is gone: container, files and listener removed. */
  Future<Void> destroyed() {
    return destroyed.future();
  }

  /** Whether a connection to the Runtime API comes from this sandbox's own processes (known once it launched). */
  private Future<Boolean> fromInside(int clientPort, int serverPort) {
    return launching.compose(launched -> shared.blocking(() -> launched.holdsConnection(clientPort, serverPort)));
  }

  /** Start the listener → write the bundle and launch the runtime → await its first {@code /next}. */
  Future<Sandbox> start() {
    if (teardown != null) {
      return Future.failedFuture(new SandboxFailure.StartFailed("sandbox " + id + " was destroyed before it started", null));
    }
    startedNanos = System.nanoTime();
    api = new RuntimeApiServer(shared.vertx, this, this::fromInside);
    long startTimer = shared.vertx.setTimer(shared.startTimeout.toMillis(), timer -> ready.tryFail(new SandboxFailure.StartFailed(
        "sandbox " + id + " for " + spec.functionName() + " did not ask for an event within " + shared.startTimeout.toMillis() + " ms", null)));
    // Registered first, so the container is known before anything else hears of the launch (teardown waits for it).
    launching = api.start()
        .compose(address -> shared.blocking(() -> launch(address)))
        .onSuccess(launched -> {
          container = launched;
          createNanos = System.nanoTime() - startedNanos;
          launched.exited().whenComplete((code, failure) ->
              shared.context.runOnContext(v -> processExited(code == null ? -1 : code)));
        });
    return launching
        .compose(launched -> ready.future())
        .map(v -> {
          shared.vertx.cancelTimer(startTimer);
          return this;
        })
        .recover(failure -> {
          shared.vertx.cancelTimer(startTimer);
          return teardown().transform(ignored -> Future.failedFuture(failure));
        });
  }

  private Container launch(String runtimeApi) throws Exception {
    Runtimes.Launch launch = shared.archives.apply(spec, shared.runtimes.launch(spec, runtimeApi, type));
    Files.createDirectories(dir);
    return shared.isolation.launch(id, dir, spec, launch, output.file());
  }

  /** Freezes the idle sandbox; freezes and thaws take effect in the order they were asked for. */
  Future<Void> freeze() {
    return onFreezer(true);
  }

  /** Thaws the sandbox; the returned future completes when it may run again. */
  Future<Void> thaw() {
    return onFreezer(false);
  }

  /** Completes when the freezes and thaws asked for so far have taken effect. */
  Future<Void> freezerSettled() {
    return freezer.settled();
  }

  private Future<Void> onFreezer(boolean freeze) {
    return container == null || !shared.isolation.freezes() ? Future.succeededFuture() : freezer.apply(container, freeze);
  }

  /**
   * Hands {@code invocation} to the runtime; the result arrives when it answers, fails, dies or times
   * out. Fails with {@link EventNotDelivered} when the sandbox is gone or goes before the runtime gets the event.
   */
  Future<Ran> run(Invocation invocation) {
    if (state == State.DESTROYING || state == State.DESTROYED) {
      return Future.failedFuture(new EventNotDelivered("sandbox " + id + " is gone"));
    }
    if (state != State.IDLE) {
      return Future.failedFuture(new IllegalStateException("sandbox " + id + " cannot run " + invocation.requestId() + " while " + state));
    }
    state = State.BUSY;
    SandboxRun run = new SandboxRun(invocation);
    running = run;
    run.timerId = shared.vertx.setTimer(spec.timeout().toMillis(), timer -> timedOut(run));
    if (parkedNext != null) {
      HttpServerResponse next = parkedNext;
      parkedNext = null;
      deliver(next, run);
    }
    return run.result.future();
  }

  private void deliver(HttpServerResponse next, SandboxRun run) {
    Invocation invocation = run.invocation;
    NextEvent event = new NextEvent(invocation.requestId(), System.currentTimeMillis() + spec.timeout().toMillis(),
        spec.functionArn(), TraceIds.next(), invocation.contentType(), invocation.clientContext(), invocation.payload());
    run.delivered = true;
    run.deliveredNanos = System.nanoTime();
    event.writeTo(next).onFailure(failure -> {
      if (running == run && !run.answered) {
        notHandedOver(run, "its /next connection broke while the event was written: " + failure.getMessage());
      }
    });
  }

  @Override
  public void nextRequested(HttpServerResponse response) {
    switch (state) {
      case STARTING -> {
        initNanos = System.nanoTime() - startedNanos - createNanos;
        state = State.IDLE;
        parkedNext = response;
        ready.tryComplete();
      }
      case IDLE -> {
        if (parkedNext != null) {
          response.reset();
          brokeProtocol("asked for a second event while one request for an event was already waiting");
        } else {
          parkedNext = response;
        }
      }
      case BUSY -> {
        SandboxRun run = running;
        if (!run.delivered) {
          deliver(response, run);
        } else if (run.answered && run.outcome != null) {
          if (parkedNext != null) {
            // Two requests for an event at once: the answer stands, the sandbox goes.
            response.reset();
            teardown();
            return;
          }
          parkedNext = response;
          finishAnswered(run);
        } else if (!run.answered) {
          parkedNext = response;
          run.answered = true;
          shared.vertx.cancelTimer(run.timerId);
          endBroken(run, new Outcome.Crashed("Runtime asked for its next event without answering RequestId: "
              + run.invocation.requestId()), System.nanoTime() - run.deliveredNanos);
        }
      }
      case DESTROYING, DESTROYED -> response.reset();
    }
  }

  @Override
  public void nextAbandoned(HttpServerResponse response) {
    if (parkedNext != response) {
      return;
    }
    parkedNext = null;
    SandboxRun run = running;
    if (state == State.IDLE) {
      brokeProtocol("dropped its request for the next event");
    } else if (state == State.BUSY && run != null && run.answered && !run.finishing) {
      // Its answer stands; the sandbox cannot take another event.
      run.finishing = true;
      shared.vertx.cancelTimer(run.settleTimerId);
      endBroken(run, run.outcome, run.durationNanos);
    } else if (state == State.BUSY && run != null && run.answered) {
      // The answer is being measured and stands; the sandbox will not go back to idle.
      teardown();
    }
  }

  @Override
  public boolean responded(String requestId, Buffer payload) {
    return answer(requestId, new Outcome.Succeeded(payload));
  }

  @Override
  public boolean failed(String requestId, String errorType, Buffer payload) {
    String type = errorType != null ? errorType : ErrorBodies.errorType(payload, "Runtime.Unknown");
    return answer(requestId, new Outcome.FunctionFailed(type, payload));
  }

  @Override
  public boolean initFailed(String errorType, Buffer payload) {
    if (state != State.STARTING) {
      return false;
    }
    initFailure = new Outcome.InitFailed(errorType != null ? errorType : ErrorBodies.errorType(payload, "Runtime.Unknown"), payload);
    return true;
  }

  private boolean answer(String requestId, Outcome outcome) {
    SandboxRun run = running;
    if (run == null || run.answered || !run.delivered || !run.invocation.requestId().equals(requestId)) {
      return false;
    }
    run.answered = true;
    run.outcome = outcome;
    run.durationNanos = System.nanoTime() - run.deliveredNanos;
    shared.vertx.cancelTimer(run.timerId);
    if (parkedNext != null) {
      finishAnswered(run);
    } else {
      run.settleTimerId = shared.vertx.setTimer(SETTLE_MS, timer -> finishAnswered(run));
    }
    return true;
  }

  /** The runtime answered and has asked for more (or the settle time passed): measure, then give the result. */
  private void finishAnswered(SandboxRun run) {
    if (run.finishing) {
      return;
    }
    run.finishing = true;
    shared.vertx.cancelTimer(run.settleTimerId);
    shared.blocking(this::measure).onComplete(measured -> {
      Measurement m = measured.succeeded() ? measured.result() : Measurement.NONE;
      if (state == State.BUSY) {
        state = State.IDLE;
      }
      if (running == run) {
        running = null;
      }
      run.result.complete(new Ran(run.outcome, m.log(), run.durationNanos, m.usage().peakBytes()));
    });
  }

  private void timedOut(SandboxRun run) {
    if (run.answered || running != run) {
      return;
    }
    run.answered = true;
    endBroken(run, new Outcome.TimedOut(spec.timeout()), spec.timeout().toNanos());
  }

  private void processExited(int exitCode) {
    exited.tryComplete(exitCode);
    switch (state) {
      case STARTING -> {
        long init = System.nanoTime() - startedNanos - createNanos;
        Outcome.InitFailed failure = initFailure != null ? initFailure : new Outcome.InitFailed("Runtime.ExitError",
            ErrorBodies.of("Runtime.ExitError", ExitReasons.describe(exitCode)));
        shared.blocking(output::readNew).onComplete(log ->
            ready.tryFail(new SandboxFailure.InitFailed(failure, log.succeeded() ? log.result() : "", init)));
      }
      case IDLE -> {
        teardown();
        onExited.accept(this);
      }
      case BUSY -> {
        SandboxRun run = running;
        if (!run.delivered) {
          notHandedOver(run, "its runtime exited before it received the event: " + ExitReasons.describe(exitCode));
        } else if (!run.answered) {
          run.answered = true;
          shared.vertx.cancelTimer(run.timerId);
          endBroken(run, new Outcome.Crashed(ExitReasons.describe(exitCode)), System.nanoTime() - run.deliveredNanos);
        } else if (!run.finishing) {
          // It answered, then exited (the Java client does after a fatal error): keep the answer, lose the sandbox.
          run.finishing = true;
          shared.vertx.cancelTimer(run.settleTimerId);
          endBroken(run, run.outcome, run.durationNanos);
        } else {
          teardown();
        }
      }
      case DESTROYING, DESTROYED -> { }
    }
  }

  /** The runtime broke the Runtime API's rules while idle: it goes, and the pool hears of it. */
  private void brokeProtocol(String what) {
    if (terminating) {
      teardown();
      return;
    }
    LOG.warning("runtime of sandbox " + id + " (" + spec.functionName() + ") " + what + "; destroying it");
    teardown();
    onExited.accept(this);
  }

  /** The event never reached the runtime: the sandbox goes, the caller may try another. */
  private void notHandedOver(SandboxRun run, String why) {
    run.answered = true;
    shared.vertx.cancelTimer(run.timerId);
    teardown().onComplete(v -> {
      running = null;
      run.result.fail(new EventNotDelivered("sandbox " + id + " did not take " + run.invocation.requestId() + ": " + why));
    });
  }

  /** Ends a run whose sandbox cannot be reused: stop the container, measure it, remove it, then answer. */
  private void endBroken(SandboxRun run, Outcome outcome, long durationNanos) {
    state = State.DESTROYING;
    stopContainer()
        .compose(v -> shared.blocking(this::measure))
        .otherwise(Measurement.NONE)
        .compose(m -> teardown().map(v -> {
          Outcome last = outcome instanceof Outcome.Crashed && m.usage().oomKilled() ? new Outcome.OutOfMemory() : outcome;
          return new Ran(last, m.log(), durationNanos, m.usage().peakBytes());
        }))
        .onComplete(result -> {
          running = null;
          run.result.handle(result);
        });
  }

  private record Measurement(String log, Container.Usage usage) {
    static final Measurement NONE = new Measurement("", Container.Usage.NONE);
  }

  private Measurement measure() {
    return new Measurement(output.readNew(), container == null ? Container.Usage.NONE : container.usage());
  }

  /** The cgroup's memory now, for metrics and the benchmark's idle-memory figure. */
  Future<Long> memoryBytes() {
    Container target = container;
    return target == null ? Future.succeededFuture(0L) : shared.blocking(() -> target.usage().currentBytes());
  }

  /**
   * Asks an idle runtime to exit and lets it take up to {@code grace} (a JVM writes its class-data archive
   * at exit); then it is removed, killed if need be. Completes when the sandbox is gone.
   */
  Future<Void> terminate(java.time.Duration grace) {
    Container target = container;
    if (target == null || state != State.IDLE) {
      return teardown();
    }
    terminating = true;
    long timer = shared.vertx.setTimer(grace.toMillis(), t -> teardown());
    shared.blocking(() -> {
      target.terminate();
      return null;
    }).onFailure(failure -> teardown());
    return destroyed.future().onComplete(v -> shared.vertx.cancelTimer(timer));
  }

  /**
   * The sandbox is destroyed from outside (the pool closes) while a run is unsettled: the run still gets
   * its answer once the sandbox is gone, a crash if the runtime had the event, else not delivered.
   */
  private void settleDestroyed(SandboxRun run) {
    run.answered = true;
    shared.vertx.cancelTimer(run.timerId);
    long durationNanos = run.delivered ? System.nanoTime() - run.deliveredNanos : 0;
    teardown.onComplete(v -> {
      if (running == run) {
        running = null;
      }
      if (run.delivered) {
        run.result.tryComplete(new Ran(new Outcome.Crashed("Runtime stopped: its sandbox was destroyed while it ran the event"),
            "", durationNanos, 0));
      } else {
        run.result.tryFail(new EventNotDelivered("sandbox " + id + " was destroyed before its runtime took "
            + run.invocation.requestId()));
      }
    });
  }

  /** Sends SIGKILL and waits (boundedly) for the runtime's process to exit. */
  private Future<Void> stopContainer() {
    if (container == null || exited.future().isComplete()) {
      return Future.succeededFuture();
    }
    Container target = container;
    long timer = shared.vertx.setTimer(EXIT_WAIT_MS, t -> {
      if (exited.tryComplete(-1)) {
        LOG.warning("runtime of sandbox " + id + " did not exit within " + EXIT_WAIT_MS + " ms of SIGKILL; removing it anyway");
      }
    });
    return shared.blocking(() -> {
      target.kill();
      return null;
    }).transform(v -> exited.future()).onComplete(v -> shared.vertx.cancelTimer(timer)).mapEmpty();
  }

  /** Destroys the sandbox: whatever was created is removed, whatever state it was in. Idempotent. */
  Future<Void> teardown() {
    if (teardown != null) {
      return teardown;
    }
    state = State.DESTROYING;
    ready.tryFail(new SandboxFailure.StartFailed("sandbox " + id + " was destroyed while it started", null));
    if (parkedNext != null) {
      parkedNext.reset();
      parkedNext = null;
    }
    // A launch in flight finishes first, so what it starts is removed too.
    Future<Container> launched = launching == null ? Future.succeededFuture() : launching.otherwiseEmpty();
    SandboxRun unsettled = running != null && !running.answered ? running : null;
    teardown = launched
        .compose(v -> stopContainer())
        .transform(v -> shared.blocking(() -> {
          Container target = container;
          if (target != null) {
            target.remove();
          }
          RuntimeOutput.removeDirectory(dir);
          return (Void) null;
        }))
        .recover(failure -> {
          LOG.warning("sandbox " + id + " was not removed cleanly: " + failure);
          return Future.succeededFuture();
        })
        .compose(v -> api == null ? Future.<Void>succeededFuture() : api.stop().otherwiseEmpty())
        .onComplete(v -> {
          state = State.DESTROYED;
          destroyed.tryComplete();
        });
    if (unsettled != null) {
      settleDestroyed(unsettled);
    }
    return teardown;
  }
}
