package dev.tarsier.invoker;

import io.vertx.core.buffer.Buffer;

/**
 * What Invoke answers.
 *
 * @param statusCode    200 for a synchronous call (also when the function failed), 202 for Event, 204 for DryRun
 * @param payload       the function's result or error JSON; empty for Event and DryRun
 * @param functionError {@code Unhandled} when the function failed, else null
 * @param logResult     base64 of the log's last 4 KB when the caller asked for the tail, else null
 * @param requestId     the invocation's request id
 */
public record InvokeResponse(int statusCode, Buffer payload, String functionError, String logResult, String requestId) {}
