package dev.tarsier.sandbox;

import dev.tarsier.sandbox.runc.ContainerSpec;
import dev.tarsier.sandbox.runc.OciBundle;
import dev.tarsier.sandbox.runc.Runc;
import dev.tarsier.sandbox.runtimeapi.RuntimeApiListener;
import dev.tarsier.sandbox.runtimeapi.RuntimeApiServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One execution environment: a runc container running a Lambda runtime, and the Runtime API listener
 * that belongs to it alone. Lives on the pool's context; every method and callback runs there.
 *
 * <p>States: {@code STARTING → IDLE ⇄ BUSY → DESTROYING → DESTROYED}. A timeout, crash or OOM destroys
 * the sandbox before the run's result is given, so nothing of it is left when the caller hears back.
 */
final class Sandbox implements RuntimeApiListener {
  enum State { STARTING, IDLE, BUSY, DESTROYING, DESTROYED }

  /**
   * How long to wait, after a runtime answers, for its next {@code /next}. Runtimes may still write the
   * event's log lines after answering (the Java client logs an error after posting it); asking for the
   * next event is the point where everything about this one has been written.
   */
  private static final long SETTLE_MS = 50;

  private final String id;
  private final SandboxSpec spec;
  private final Vertx vertx;
  private final Context context;
  private final Runc runc;
  private final Runtimes runtimes;
  private final SandboxConfig config;
  private final Consumer<Sandbox> onGone;
  private final Path dir;
  private final ContainerFiles files;
  private final Promise<Void> ready = Promise.promise();
  private final Promise<Integer> exited = Promise.promise();

  private State state = State.STARTING;
  private RuntimeApiServer api;
  private HttpServerResponse parkedNext;
  private Running running;
  private long startedNanos;
  private long createNanos;
  private long initNanos = -1;
  private boolean initReported;
  private Outcome.InitFailed initFailure;
  private Instant idleSince;
  private boolean launched;
  private Future<Void> teardown;

  /** The event in flight and what is known of it. */
  private static final class Running {
    final Invocation invocation;
    final Promise<RunResult> result = Promise.promise();
    long deliveredNanos;
    boolean delivered;
    boolean answered;
    boolean finishing;
    Outcome outcome;
    long durationNanos;
    long timerId = -1;
    long settleTimerId = -1;

    Running(Invocation invocation) {
      this.invocation = invocation;
    }
  }

  Sandbox(String id, SandboxSpec spec, Vertx vertx, Context context, Runc runc, Runtimes runtimes, SandboxConfig config,
      Consumer<Sandbox> onGone) {
    this.id = id;
    this.spec = spec;
    this.vertx = vertx;
    this.context = context;
    this.runc = runc;
    this.runtimes = runtimes;
    this.config = config;
    this.onGone = onGone;
    this.dir = config.sandboxesDir().resolve(id);
    this.files = new ContainerFiles(dir.resolve("output.log"),
        Path.of("/sys/fs/cgroup/memory", config.cgroupParent(), id));
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

  Instant idleSince() {
    return idleSince;
  }

  void markIdle(Instant now) {
    idleSince = now;
  }

  /** Write bundle → start the listener → run the container → await the first {@code /next}. */
  Future<Sandbox> start() {
    startedNanos = System.nanoTime();
    api = new RuntimeApiServer(vertx, this);
    long startTimer = vertx.setTimer(config.startTimeout().toMillis(), timer -> ready.tryFail(new SandboxFailure.StartFailed(
        "sandbox " + id + " for " + spec.functionName() + " did not ask for an event within " + config.startTimeout().toMillis() + " ms", null)));
    return api.start()
        .compose(address -> vertx.executeBlocking(() -> launch(address)))
        .compose(process -> {
          createNanos = System.nanoTime() - startedNanos;
          launched = true;
          process.onExit().thenAccept(exitedProcess -> context.runOnContext(v -> processExited(exitedProcess.exitValue())));
          return ready.future();
        })
        .map(v -> {
          vertx.cancelTimer(startTimer);
          return this;
        })
        .recover(failure -> {
          vertx.cancelTimer(startTimer);
          return teardown().transform(ignored -> Future.failedFuture(failure));
        });
  }

  private Process launch(String runtimeApi) throws Exception {
    Runtimes.Launch launch = runtimes.launch(spec, runtimeApi);
    List<ContainerSpec.Bind> binds = new ArrayList<>();
    binds.add(new ContainerSpec.Bind(Path.of("/usr"), "/usr"));
    for (String etc : RootFs.HOST_ETC) {
      if (java.nio.file.Files.isDirectory(Path.of(etc))) {
        binds.add(new ContainerSpec.Bind(Path.of(etc), etc));
      }
    }
    binds.add(new ContainerSpec.Bind(runtimes.runtimesDir(), "/var/runtime"));
    binds.add(new ContainerSpec.Bind(spec.codeDir(), "/var/task"));
    binds.addAll(launch.binds());
    long memoryBytes = spec.memoryMb() * 1024L * 1024L;
    ContainerSpec container = new ContainerSpec(config.rootfsDir(), launch.args(), launch.env(), "/var/task",
        config.sandboxUid(), binds, spec.ephemeralStorageMb(), memoryBytes, cpuShares(spec.memoryMb()), 1024,
        "/" + config.cgroupParent() + "/" + id);
    OciBundle.write(dir, container);
    return runc.run(id, dir, files.output());
  }

  /** CPU weight in proportion to memory: 1769 MB is one full share (1024), as on Lambda. */
  static long cpuShares(int memoryMb) {
    return Math.max(2, Math.round(memoryMb * 1024.0 / 1769.0));
  }

  /** Hands {@code invocation} to the runtime; the result arrives when it answers, fails, dies or times out. */
  Future<RunResult> run(Invocation invocation) {
    if (state != State.IDLE) {
      return Future.failedFuture(new IllegalStateException("sandbox " + id + " cannot run " + invocation.requestId() + " while " + state));
    }
    state = State.BUSY;
    Running run = new Running(invocation);
    running = run;
    run.timerId = vertx.setTimer(spec.timeout().toMillis(), timer -> timedOut(run));
    if (parkedNext != null) {
      HttpServerResponse next = parkedNext;
      parkedNext = null;
      deliver(next, run);
    }
    return run.result.future();
  }

  private void deliver(HttpServerResponse next, Running run) {
    Invocation invocation = run.invocation;
    next.closeHandler(null);
    next.setStatusCode(200)
        .putHeader("Lambda-Runtime-Aws-Request-Id", invocation.requestId())
        .putHeader("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + spec.timeout().toMillis()))
        .putHeader("Lambda-Runtime-Invoked-Function-Arn", spec.functionArn())
        .putHeader("Lambda-Runtime-Trace-Id", TraceIds.next())
        .putHeader("Content-Type", invocation.contentType() == null ? "application/json" : invocation.contentType());
    if (invocation.clientContext() != null) {
      next.putHeader("Lambda-Runtime-Client-Context", invocation.clientContext());
    }
    run.delivered = true;
    run.deliveredNanos = System.nanoTime();
    next.end(invocation.payload());
  }

  @Override
  public void nextRequested(HttpServerResponse response) {
    if (state == State.STARTING) {
      initNanos = System.nanoTime() - startedNanos - createNanos;
      state = State.IDLE;
      parkedNext = response;
      ready.tryComplete();
    } else if (state == State.BUSY && running != null && !running.delivered) {
      deliver(response, running);
    } else {
      parkedNext = response;
      if (state == State.BUSY && running != null && running.answered && running.outcome != null) {
        finishAnswered(running);
      }
    }
  }

  @Override
  public void nextAbandoned(HttpServerResponse response) {
    if (parkedNext == response) {
      parkedNext = null;
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
    Running run = running;
    if (run == null || run.answered || !run.delivered || !run.invocation.requestId().equals(requestId)) {
      return false;
    }
    run.answered = true;
    run.outcome = outcome;
    run.durationNanos = System.nanoTime() - run.deliveredNanos;
    vertx.cancelTimer(run.timerId);
    run.settleTimerId = vertx.setTimer(SETTLE_MS, timer -> finishAnswered(run));
    return true;
  }

  /** The runtime answered and has asked for more (or the settle time passed): measure, then give the result. */
  private void finishAnswered(Running run) {
    if (run.finishing) {
      return;
    }
    run.finishing = true;
    vertx.cancelTimer(run.settleTimerId);
    vertx.executeBlocking(files::measure).onComplete(measured -> {
      ContainerFiles.Measurement m = measured.succeeded() ? measured.result() : ContainerFiles.Measurement.NONE;
      if (state == State.BUSY) {
        state = State.IDLE;
      }
      running = null;
      run.result.complete(result(run.outcome, m, run.durationNanos));
    });
  }

  private void timedOut(Running run) {
    if (run.answered || running != run) {
      return;
    }
    run.answered = true;
    long duration = run.delivered ? System.nanoTime() - run.deliveredNanos : spec.timeout().toNanos();
    endBroken(run, new Outcome.TimedOut(spec.timeout()), duration);
  }

  private void processExited(int exitCode) {
    exited.tryComplete(exitCode);
    switch (state) {
      case STARTING -> {
        String log = files.tailOfOutput();
        long init = System.nanoTime() - startedNanos - createNanos;
        if (initFailure != null) {
          ready.tryFail(new SandboxFailure.InitFailed(initFailure, log, init));
        } else {
          ready.tryFail(new SandboxFailure.InitFailed(new Outcome.InitFailed("Runtime.ExitError",
              ErrorBodies.of("Runtime.ExitError", ExitReasons.describe(exitCode))), log, init));
        }
      }
      case IDLE -> teardown();
      case BUSY -> {
        Running run = running;
        if (run != null && !run.answered) {
          run.answered = true;
          vertx.cancelTimer(run.timerId);
          long duration = run.delivered ? System.nanoTime() - run.deliveredNanos : 0;
          endBroken(run, new Outcome.Crashed(ExitReasons.describe(exitCode)), duration);
        } else if (run != null && !run.finishing) {
          // It answered, then exited (the Java client does after a fatal error): keep the answer, lose the sandbox.
          run.finishing = true;
          vertx.cancelTimer(run.settleTimerId);
          endBroken(run, run.outcome, run.durationNanos);
        } else {
          teardown();
        }
      }
      case DESTROYING, DESTROYED -> { }
    }
  }

  /** Ends a run whose sandbox cannot be reused: stop the container, measure it, remove it, then answer. */
  private void endBroken(Running run, Outcome outcome, long durationNanos) {
    state = State.DESTROYING;
    stopContainer()
        .compose(v -> vertx.executeBlocking(files::measure))
        .otherwise(ContainerFiles.Measurement.NONE)
        .compose(m -> teardown().map(v -> {
          Outcome finalOutcome = outcome instanceof Outcome.Crashed && m.oomKilled() ? new Outcome.OutOfMemory() : outcome;
          return result(finalOutcome, m, durationNanos);
        }))
        .onComplete(result -> {
          running = null;
          run.result.handle(result);
        });
  }

  private RunResult result(Outcome outcome, ContainerFiles.Measurement m, long durationNanos) {
    long init = -1;
    long create = 0;
    if (!initReported) {
      initReported = true;
      init = Math.max(0, initNanos);
      create = createNanos;
    }
    return new RunResult(outcome, m.log(), durationNanos, init, create, m.maxMemoryBytes());
  }

  /** Sends SIGKILL and waits for the container's process to exit. */
  private Future<Void> stopContainer() {
    if (exited.future().isComplete()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      runc.kill(id, "KILL");
      return null;
    }).compose(v -> exited.future()).mapEmpty();
  }

  /** Destroys the sandbox: whatever was created is removed, whatever state it was in. Idempotent. */
  Future<Void> teardown() {
    if (teardown != null) {
      return teardown;
    }
    state = State.DESTROYING;
    if (parkedNext != null) {
      parkedNext.reset();
      parkedNext = null;
    }
    Future<Void> stopped = launched ? stopContainer() : Future.succeededFuture();
    teardown = stopped
        .transform(v -> vertx.executeBlocking(() -> {
          runc.delete(id);
          ContainerFiles.removeDirectory(dir);
          return null;
        }))
        .transform(v -> api == null ? Future.succeededFuture() : api.stop())
        .transform(v -> {
          state = State.DESTROYED;
          onGone.accept(this);
          return v.succeeded() ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(v.cause());
        });
    return teardown;
  }
}
