package dev.tarsier.invoker;

import dev.tarsier.invoker.logs.InvocationLog;
import dev.tarsier.invoker.records.InvocationRecord;
import dev.tarsier.invoker.records.InvocationRecords;
import dev.tarsier.sandbox.ErrorBodies;
import dev.tarsier.sandbox.Invocation;
import dev.tarsier.sandbox.Outcome;
import dev.tarsier.sandbox.RunResult;
import dev.tarsier.sandbox.SandboxFailure;
import dev.tarsier.sandbox.SandboxSpec;
import dev.tarsier.sandbox.WarmPool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one invocation in the pool and turns what happened into Lambda's answer (the result or error
 * JSON, {@code X-Amz-Function-Error}, the log with START, END and REPORT), then leaves its record,
 * publishes its log to followers and counts it.
 */
final class Invocations {
  private static final Logger LOG = Logger.getLogger(Invocations.class.getName());
  private static final long MB = 1024 * 1024;

  private final Vertx vertx;
  private final WarmPool pool;
  private final Clock clock;
  private final InvocationRecords records;
  private final InvokerMetrics metrics;

  /** How a run went: the caller's answer and the record it left. */
  record Completed(InvokeResponse response, InvocationRecord record) {
    boolean failed() {
      return response.functionError() != null;
    }
  }

  /** Why and when: the trigger, which attempt this is, when the event was accepted, and its depth in a chain of bucket events. */
  record Context(Trigger trigger, int attempt, Instant acceptedAt, boolean tailLog, int depth) {}

  /** The event depths of running invocations, by function and request id. */
  private final java.util.Map<String, java.util.Map<String, Integer>> depths = new java.util.concurrent.ConcurrentHashMap<>();

  int depth(String function) {
    var running = depths.get(function);
    return running == null ? 0 : running.values().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  /** A record that says why a function's write caused no event: the chain of bucket events went too deep. */
  void loopStopped(String function, String bucket, String key, int depth) {
    String message = "Stopped a recursive invocation loop: " + function + " wrote s3://" + bucket + "/" + key + " while handling a"
        + " bucket event " + (depth - 1) + " levels deep; its events were not delivered (limit " + depth + ")";
    LOG.warning(message);
    keep(new InvocationRecord(java.util.UUID.randomUUID().toString(), function, null, Trigger.S3.wireName(), "error", clock.instant(),
        0, 0, -1, 0, 0, 0, 0, false, "s3://" + bucket + "/" + key, message, "Tarsier.RecursiveInvocationStopped", message + "\n", 1));
  }

  Invocations(Vertx vertx, WarmPool pool, Clock clock, InvocationRecords records, InvokerMetrics metrics) {
    this.vertx = vertx;
    this.pool = pool;
    this.clock = clock;
    this.records = records;
    this.metrics = metrics;
  }

  /** Runs {@code invocation} holding {@code permit}, which is released when the run ends. */
  Future<Completed> run(SandboxSpec spec, FunctionConfig function, Invocation invocation, Context context, Concurrency.Permit permit) {
    Instant started = clock.instant();
    long acquireStart = System.nanoTime();
    metrics.started();
    if (context.depth() > 0) {
      depths.computeIfAbsent(function.name(), f -> new java.util.concurrent.ConcurrentHashMap<>()).put(invocation.requestId(), context.depth());
    }
    return pool.acquire(spec)
        .compose(lease -> {
          double waitMs = (System.nanoTime() - acquireStart) / 1e6;
          return lease.run(invocation).map(result -> answer(function, invocation, result, context, started, waitMs));
        })
        .recover(failure -> failure instanceof SandboxFailure.InitFailed initFailed
            ? Future.succeededFuture(initFailure(function, invocation, initFailed, context, started))
            : Future.failedFuture(EmbeddedInvoker.asLambdaFailure(failure)))
        .andThen(done -> {
          var running = depths.get(function.name());
          if (running != null) {
            running.remove(invocation.requestId());
          }
          permit.release();
          metrics.finished();
          if (done.succeeded()) {
            keep(done.result().record());
          }
        });
  }

  /** Records a synchronous call refused for want of concurrency. */
  void throttled(FunctionConfig function, Invocation invocation, Trigger trigger) {
    metrics.throttled(function.name());
    keep(new InvocationRecord(invocation.requestId(), function.name(), function.codeSha256(), trigger.wireName(), "throttled",
        clock.instant(), 0, 0, -1, 0, 0, function.memorySize(), 0, false, text(invocation.payload()), null,
        "TooManyRequestsException", "", 1));
  }

  /** Stores the record, then tells followers, so whoever hears of an invocation can also find its record. */
  private void keep(InvocationRecord record) {
    metrics.recorded(record);
    vertx.executeBlocking(() -> {
      records.insert(record);
      return null;
    }).onComplete(stored -> {
      if (stored.failed()) {
        LOG.log(Level.WARNING, "could not keep the record of " + record.id(), stored.cause());
      }
      vertx.eventBus().publish(LogFollowers.address(record.function()), record.log());
    });
  }

  private Completed answer(FunctionConfig function, Invocation invocation, RunResult result, Context context, Instant started,
      double waitMs) {
    String requestId = invocation.requestId();
    String output = result.log();
    long maxMemoryMb = ceilMb(result.maxMemoryUsedBytes());
    Buffer payload;
    String reportStatus = null;
    String errorType = null;
    String status;
    switch (result.outcome()) {
      case Outcome.Succeeded succeeded -> {
        payload = succeeded.payload();
        status = "ok";
      }
      case Outcome.FunctionFailed functionFailed -> {
        payload = functionFailed.payload();
        status = "error";
        errorType = functionFailed.errorType();
      }
      case Outcome.TimedOut timedOut -> {
        payload = ErrorBodies.of("Sandbox.Timedout", "RequestId: " + requestId + " Error: Task timed out after "
            + String.format(Locale.ROOT, "%.2f", (double) function.timeout()) + " seconds");
        output = withLine(output, InvocationLog.timeoutLine(clock.instant(), requestId, function.timeout()));
        reportStatus = status = "timeout";
        errorType = "Sandbox.Timedout";
      }
      case Outcome.OutOfMemory oom -> {
        payload = ErrorBodies.of("Runtime.OutOfMemory", "RequestId: " + requestId + " Error: Runtime exited with error: signal: killed");
        output = withLine(output, "RequestId: " + requestId + " Error: Runtime exited with error: signal: killed\nRuntime.OutOfMemory\n");
        reportStatus = status = "oom";
        errorType = "Runtime.OutOfMemory";
        maxMemoryMb = Math.max(maxMemoryMb, function.memorySize());
      }
      case Outcome.Crashed crashed -> {
        payload = ErrorBodies.of("Runtime.ExitError", "RequestId: " + requestId + " Error: " + crashed.reason());
        output = withLine(output, "RequestId: " + requestId + " Error: " + crashed.reason() + "\nRuntime.ExitError\n");
        reportStatus = "error";
        status = "crash";
        errorType = "Runtime.ExitError";
      }
      case Outcome.InitFailed initFailed -> {
        payload = initFailed.payload();
        reportStatus = status = "error";
        errorType = initFailed.errorType();
      }
    }
    boolean failed = !status.equals("ok");
    double durationMs = result.durationNanos() / 1e6;
    double initMs = result.cold() ? result.initDurationNanos() / 1e6 : -1;
    InvocationLog.Report report = new InvocationLog.Report(requestId, durationMs, function.memorySize(), maxMemoryMb, initMs,
        reportStatus, reportStatus != null && !reportStatus.equals("timeout") && !reportStatus.equals("oom") ? errorType : null);
    String log = InvocationLog.format(requestId, output, report);
    double queueWaitMs = Duration.between(context.acceptedAt(), started).toNanos() / 1e6 + waitMs - result.createNanos() / 1e6
        - Math.max(0, initMs);
    InvocationRecord record = new InvocationRecord(requestId, function.name(), function.codeSha256(), context.trigger().wireName(),
        status, started, durationMs, report.billedDurationMs(), initMs, result.createNanos() / 1e6, Math.max(0, queueWaitMs),
        function.memorySize(), maxMemoryMb, result.cold(), text(invocation.payload()), text(payload), errorType, log,
        context.attempt());
    InvokeResponse response = new InvokeResponse(200, payload, failed ? "Unhandled" : null,
        context.tailLog() ? InvocationLog.tail(log) : null, requestId);
    return new Completed(response, record);
  }

  private Completed initFailure(FunctionConfig function, Invocation invocation, SandboxFailure.InitFailed failure, Context context,
      Instant started) {
    String requestId = invocation.requestId();
    Outcome.InitFailed outcome = failure.outcome();
    double initMs = failure.initDurationNanos() / 1e6;
    String output = withLine(failure.log(), "INIT_REPORT Init Duration: " + String.format(Locale.ROOT, "%.2f", initMs)
        + " ms\tPhase: init\tStatus: error\tError Type: " + outcome.errorType() + "\n");
    InvocationLog.Report report = new InvocationLog.Report(requestId, 0, function.memorySize(), 0, -1, "error", outcome.errorType());
    String log = InvocationLog.format(requestId, output, report);
    InvocationRecord record = new InvocationRecord(requestId, function.name(), function.codeSha256(), context.trigger().wireName(),
        "error", started, 0, 0, initMs, 0, 0, function.memorySize(), 0, true, text(invocation.payload()), text(outcome.payload()),
        outcome.errorType(), log, context.attempt());
    InvokeResponse response = new InvokeResponse(200, outcome.payload(), "Unhandled",
        context.tailLog() ? InvocationLog.tail(log) : null, requestId);
    return new Completed(response, record);
  }

  private static String text(Buffer buffer) {
    return buffer == null ? null : new String(buffer.getBytes(), StandardCharsets.UTF_8);
  }

  private static String withLine(String output, String line) {
    return output.isEmpty() || output.endsWith("\n") ? output + line : output + "\n" + line;
  }

  private static long ceilMb(long bytes) {
    return (bytes + MB - 1) / MB;
  }
}
