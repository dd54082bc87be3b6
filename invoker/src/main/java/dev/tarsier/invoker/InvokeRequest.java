package dev.tarsier.invoker;

import io.vertx.core.buffer.Buffer;

/**
 * One call of Invoke.
 *
 * @param functionName  the function's name (already stripped of any ARN prefix)
 * @param payload       the event bytes
 * @param type          how the caller waits for it
 * @param tailLog       true for {@code LogType: Tail}
 * @param clientContext the decoded client context JSON, or null
 */
public record InvokeRequest(String functionName, Buffer payload, Type type, boolean tailLog, String clientContext) {

  /** Lambda's invocation types. */
  public enum Type { REQUEST_RESPONSE, EVENT, DRY_RUN }
}
