package dev.tarsier.sandbox;

import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/**
 * How one invocation ended. A closed set: the invoker maps each case to Lambda's result and REPORT
 * status in one exhaustive switch.
 */
public sealed interface Outcome {

  /** The runtime posted {@code /response}. */
  record Succeeded(Buffer payload) implements Outcome {}

  /** The runtime posted {@code /error}: the handler failed, the sandbox stays usable. */
  record FunctionFailed(String errorType, Buffer payload) implements Outcome {}

  /** The deadline passed; the sandbox was destroyed. */
  record TimedOut(Duration timeout) implements Outcome {}

  /** The cgroup's oom killer ended the runtime; the sandbox was destroyed. */
  record OutOfMemory() implements Outcome {}

  /** The runtime exited while it held the event; {@code reason} is Lambda's sentence, e.g. {@code Runtime exited with error: signal: killed}. */
  record Crashed(String reason) implements Outcome {}

  /** The runtime could not load the function; the sandbox was destroyed before running anything. */
  record InitFailed(String errorType, Buffer payload) implements Outcome {}

  /** True when the sandbox that produced this outcome can be reused. */
  default boolean keepsSandbox() {
    return this instanceof Succeeded || this instanceof FunctionFailed;
  }
}
