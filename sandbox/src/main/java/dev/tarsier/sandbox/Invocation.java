package dev.tarsier.sandbox;

import io.vertx.core.buffer.Buffer;

/**
 * One event to hand to a sandbox's runtime.
 *
 * @param requestId     the id the runtime sees as {@code Lambda-Runtime-Aws-Request-Id}
 * @param payload       the raw event bytes
 * @param contentType   the content type of the payload, usually {@code application/json}
 * @param clientContext the decoded client context JSON, or null
 */
public record Invocation(String requestId, Buffer payload, String contentType, String clientContext) {}
