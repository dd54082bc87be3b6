package dev.tarsier.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to start an execution environment. Two specs with the same {@code poolKey} are
 * interchangeable: an idle sandbox started for one may serve the other. The invoker derives the key
 * from the function's name, code hash and configuration, so any change retires old sandboxes.
 *
 * @param functionName       the function's name, passed to the runtime as {@code AWS_LAMBDA_FUNCTION_NAME}
 * @param functionArn        the ARN handed to the runtime with every event
 * @param poolKey            identity of interchangeable sandboxes
 * @param runtime            which runtime to start
 * @param handler            the handler string, e.g. {@code example.Hello::handleRequest}
 * @param codeDir            the unpacked code, mounted read-only at {@code /var/task}
 * @param memoryMb           the cgroup memory limit, also reported as Memory Size
 * @param timeout            how long one invocation may run
 * @param ephemeralStorageMb size of the private {@code /tmp}
 * @param environment        the function's own environment variables
 * @param keepAlive          how long an idle sandbox of this spec stays warm, or null for the pool's default
 */
public record SandboxSpec(
    String functionName,
    String functionArn,
    String poolKey,
    RuntimeId runtime,
    String handler,
    Path codeDir,
    int memoryMb,
    Duration timeout,
    int ephemeralStorageMb,
    Map<String, String> environment,
    Duration keepAlive) {

  public SandboxSpec {
    Objects.requireNonNull(functionName, "functionName");
    Objects.requireNonNull(poolKey, "poolKey");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(codeDir, "codeDir");
    environment = Map.copyOf(environment);
    if (memoryMb <= 0) {
      throw new IllegalArgumentException("memoryMb must be positive, was " + memoryMb);
    }
    if (keepAlive != null && (keepAlive.isNegative() || keepAlive.isZero())) {
      throw new IllegalArgumentException("keepAlive must be positive, was " + keepAlive);
    }
  }

  /** A spec that keeps its sandboxes warm for the pool's default keep-alive. */
  public SandboxSpec(String functionName, String functionArn, String poolKey, RuntimeId runtime, String handler,
      Path codeDir, int memoryMb, Duration timeout, int ephemeralStorageMb, Map<String, String> environment) {
    this(functionName, functionArn, poolKey, runtime, handler, codeDir, memoryMb, timeout, ephemeralStorageMb, environment, null);
  }

  public SandboxSpec withKeepAlive(Duration keepAlive) {
    return new SandboxSpec(functionName, functionArn, poolKey, runtime, handler, codeDir, memoryMb, timeout,
        ephemeralStorageMb, environment, keepAlive);
  }
}
