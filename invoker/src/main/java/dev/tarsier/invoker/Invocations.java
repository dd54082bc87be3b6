package dev.tarsier.invoker;

import dev.tarsier.invoker.logs.InvocationLog;
import dev.tarsier.sandbox.ErrorBodies;
import dev.tarsier.sandbox.Invocation;
import dev.tarsier.sandbox.Outcome;
import dev.tarsier.sandbox.RunResult;
import dev.tarsier.sandbox.SandboxFailure;
import dev.tarsier.sandbox.SandboxSpec;
import dev.tarsier.sandbox.WarmPool;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;

/**
 * Runs one invocation in the pool and turns what happened into Lambda's answer: the result or error
 * JSON, {@code X-Amz-Function-Error}, and the log with START, END and REPORT.
 */
final class Invocations {
  private static final long MB = 1024 * 1024;

  private final WarmPool pool;
  private final Clock clock;

  Invocations(WarmPool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  Future<InvokeResponse> run(SandboxSpec spec, FunctionConfig function, Invocation invocation, boolean tailLog) {
    return pool.acquire(spec)
        .compose(lease -> lease.run(invocation))
        .map(result -> answer(function, invocation.requestId(), result, tailLog))
        .recover(failure -> failure instanceof SandboxFailure.InitFailed initFailed
            ? Future.succeededFuture(initFailure(function, invocation.requestId(), initFailed, tailLog))
            : Future.failedFuture(EmbeddedInvoker.asLambdaFailure(failure)));
  }

  private InvokeResponse answer(FunctionConfig function, String requestId, RunResult result, boolean tailLog) {
    String output = result.log();
    long maxMemoryMb = ceilMb(result.maxMemoryUsedBytes());
    Buffer payload;
    String status = null;
    String errorType = null;
    boolean failed = true;
    switch (result.outcome()) {
      case Outcome.Succeeded succeeded -> {
        payload = succeeded.payload();
        failed = false;
      }
      case Outcome.FunctionFailed functionFailed -> payload = functionFailed.payload();
      case Outcome.TimedOut timedOut -> {
        payload = ErrorBodies.of("Sandbox.Timedout", "RequestId: " + requestId + " Error: Task timed out after "
            + String.format(java.util.Locale.ROOT, "%.2f", (double) function.timeout()) + " seconds");
        output = withLine(output, InvocationLog.timeoutLine(clock.instant(), requestId, function.timeout()));
        status = "timeout";
      }
      case Outcome.OutOfMemory oom -> {
        payload = ErrorBodies.of("Runtime.OutOfMemory", "RequestId: " + requestId + " Error: Runtime exited with error: signal: killed");
        output = withLine(output, "RequestId: " + requestId + " Error: Runtime exited with error: signal: killed\nRuntime.OutOfMemory\n");
        status = "oom";
        maxMemoryMb = Math.max(maxMemoryMb, function.memorySize());
      }
      case Outcome.Crashed crashed -> {
        payload = ErrorBodies.of("Runtime.ExitError", "RequestId: " + requestId + " Error: " + crashed.reason());
        output = withLine(output, "RequestId: " + requestId + " Error: " + crashed.reason() + "\nRuntime.ExitError\n");
        status = "error";
        errorType = "Runtime.ExitError";
      }
      case Outcome.InitFailed initFailed -> {
        payload = initFailed.payload();
        status = "error";
        errorType = initFailed.errorType();
      }
    }
    InvocationLog.Report report = new InvocationLog.Report(requestId, result.durationNanos() / 1e6, function.memorySize(),
        maxMemoryMb, result.cold() ? result.initDurationNanos() / 1e6 : -1, status, errorType);
    String log = InvocationLog.format(requestId, output, report);
    return new InvokeResponse(200, payload, failed ? "Unhandled" : null, tailLog ? InvocationLog.tail(log) : null, requestId);
  }

  private InvokeResponse initFailure(FunctionConfig function, String requestId, SandboxFailure.InitFailed failure, boolean tailLog) {
    Outcome.InitFailed outcome = failure.outcome();
    String output = withLine(failure.log(), "INIT_REPORT Init Duration: "
        + String.format(java.util.Locale.ROOT, "%.2f", failure.initDurationNanos() / 1e6) + " ms\tPhase: init\tStatus: error\tError Type: "
        + outcome.errorType() + "\n");
    InvocationLog.Report report = new InvocationLog.Report(requestId, 0, function.memorySize(), 0, -1, "error", outcome.errorType());
    String log = InvocationLog.format(requestId, output, report);
    return new InvokeResponse(200, outcome.payload(), "Unhandled", tailLog ? InvocationLog.tail(log) : null, requestId);
  }

  private static String withLine(String output, String line) {
    return output.isEmpty() || output.endsWith("\n") ? output + line : output + "\n" + line;
  }

  private static long ceilMb(long bytes) {
    return (bytes + MB - 1) / MB;
  }
}
