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
 * @param trigger       what the record will name as its cause
 */
public record InvokeRequest(String functionName, Buffer payload, Type type, boolean tailLog, String clientContext, Trigger trigger) {

  /** An Invoke call through the Lambda API. */
  public InvokeRequest(String functionName, Buffer payload, Type type, boolean tailLog, String clientContext) {
    this(functionName, payload, type, tailLog, clientContext, type == Type.EVENT ? Trigger.EVENT : Trigger.API);
  }

  /** Lambda's invocation types. */
  public enum Type { REQUEST_RESPONSE, EVENT, DRY_RUN }
}
