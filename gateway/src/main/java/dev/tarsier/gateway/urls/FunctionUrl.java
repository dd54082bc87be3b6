package dev.tarsier.gateway.urls;

import io.vertx.core.json.JsonObject;

/**
 * A function URL's configuration (CreateFunctionUrlConfig).
 *
 * @param urlId    the host label that names it: {@code <urlId>.lambda-url.<region>.localhost}
 * @param authType {@code NONE} (no signature checked) or {@code AWS_IAM}
 * @param cors     Lambda's {@code Cors} object as given, or an empty object
 */
public record FunctionUrl(String function, String urlId, String authType, String invokeMode, JsonObject cors, String creationTime,
    String lastModified) {}
