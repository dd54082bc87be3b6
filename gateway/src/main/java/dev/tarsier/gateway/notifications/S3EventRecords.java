package dev.tarsier.gateway.notifications;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** S3 event notification records exactly as S3 sends them to a function (eventVersion 2.1). */
public final class S3EventRecords {
  /** ISO-8601 always with milliseconds and {@code Z}: Java's S3Event parses it with Joda and needs both. */
  private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private S3EventRecords() {}

  /**
   * What happened to one object.
   *
   * @param eventName  without {@code s3:}, e.g. {@code ObjectCreated:Put}
   * @param eTag       without quotes ({@code -N} for multipart objects)
   * @param sequencer  uppercase hex, increasing per key
   */
  public record ObjectChange(String bucket, String key, long size, String eTag, String eventName, String sequencer,
      String requestId, String sourceIp, Instant time) {}

  /** The message for one change under one rule: {@code {"Records":[...]}} with one record. */
  public static JsonObject message(ObjectChange change, String region, String configurationId) {
    JsonObject object = new JsonObject().put("key", encodeKey(change.key())).put("sequencer", change.sequencer());
    if (change.eventName().startsWith("ObjectCreated:")) {
      object.put("size", change.size()).put("eTag", change.eTag());
    }
    JsonObject record = new JsonObject()
        .put("eventVersion", "2.1")
        .put("eventSource", "aws:s3")
        .put("awsRegion", region)
        .put("eventTime", EVENT_TIME.format(change.time()))
        .put("eventName", change.eventName())
        .put("userIdentity", new JsonObject().put("principalId", "AWS:TARSIER"))
        .put("requestParameters", new JsonObject().put("sourceIPAddress", change.sourceIp()))
        .put("responseElements", new JsonObject().put("x-amz-request-id", change.requestId()).put("x-amz-id-2", change.requestId()))
        .put("s3", new JsonObject()
            .put("s3SchemaVersion", "1.0")
            .put("configurationId", configurationId)
            .put("bucket", new JsonObject()
                .put("name", change.bucket())
                .put("ownerIdentity", new JsonObject().put("principalId", "TARSIER"))
                .put("arn", "arn:aws:s3:::" + change.bucket()))
            .put("object", object));
    return new JsonObject().put("Records", new JsonArray().add(record));
  }

  /** Form encoding as S3 does it: space → {@code +}, reserved characters percent-encoded, {@code /} kept. */
  public static String encodeKey(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
  }
}
