package dev.tarsier.gateway.notifications;

import dev.tarsier.invoker.store.StateStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Notifications from external S3-compatible stores: MinIO's webhook body ({@code EventName}, {@code Key},
 * {@code Records}) or plain S3 event JSON ({@code Records}), posted to {@code /_/webhooks/s3}. Each record
 * is translated into the record S3 itself would send (no {@code s3:} prefix, {@code aws:s3}, version 2.1,
 * the key re-encoded AWS-style, the time with milliseconds) and queued for every matching rule of the
 * same-named bucket here, exactly as a local write would be; {@code /_/webhooks/s3/<function>} sends
 * every record to one function instead. A {@code HEAD} answers MinIO's liveness probe.
 */
public final class WebhookIntake {
  private static final long MAX_BODY = 1024 * 1024;

  private final Vertx vertx;
  private final StateStore store;
  private final BucketNotifications notifications;

  public WebhookIntake(Vertx vertx, StateStore store, BucketNotifications notifications) {
    this.vertx = vertx;
    this.store = store;
    this.notifications = notifications;
  }

  public void mount(Router router) {
    router.head("/_/webhooks/s3").handler(ctx -> ctx.response().setStatusCode(200).end());
    router.head("/_/webhooks/s3/:function").handler(ctx -> ctx.response().setStatusCode(200).end());
    router.post("/_/webhooks/s3").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY)).handler(ctx -> accept(ctx, null));
    router.post("/_/webhooks/s3/:function").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY))
        .handler(ctx -> accept(ctx, ctx.pathParam("function")));
  }

  private void accept(RoutingContext ctx, String function) {
    List<S3EventRecords.ObjectChange> changes;
    try {
      changes = changes(ctx.body().asJsonObject());
    } catch (DecodeException | ClassCastException | IllegalArgumentException | NullPointerException e) {
      ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("error", "not an S3 or MinIO event notification: " + e.getMessage()).encode());
      return;
    }
    vertx.executeBlocking(() -> store.inTransaction(connection -> {
      int queued = 0;
      for (S3EventRecords.ObjectChange change : changes) {
        if (function == null) {
          queued += notifications.enqueue(connection, change);
        } else {
          notifications.enqueueTo(connection, function, change, "webhook");
          queued++;
        }
      }
      return queued;
    })).onComplete(done -> {
      if (done.failed()) {
        ctx.response().setStatusCode(500).end(new JsonObject().put("error", String.valueOf(done.cause().getMessage())).encode());
        return;
      }
      if (done.result() > 0) {
        notifications.wake();
      }
      ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("records", changes.size()).put("queued", done.result()).encode());
    });
  }

  static List<S3EventRecords.ObjectChange> changes(JsonObject body) {
    JsonArray records = body.getJsonArray("Records");
    if (records == null) {
      throw new IllegalArgumentException("no Records");
    }
    List<S3EventRecords.ObjectChange> changes = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      changes.add(change(records.getJsonObject(i)));
    }
    return changes;
  }

  private static S3EventRecords.ObjectChange change(JsonObject record) {
    String eventName = record.getString("eventName");
    if (eventName == null) {
      throw new IllegalArgumentException("a record has no eventName");
    }
    if (eventName.startsWith("s3:")) {
      eventName = eventName.substring(3);
    }
    JsonObject s3 = record.getJsonObject("s3");
    JsonObject object = s3.getJsonObject("object");
    // Both AWS (form-encoded, '/' kept) and MinIO (QueryEscape, '/' as %2F) keys decode the same way.
    String key = URLDecoder.decode(object.getString("key"), StandardCharsets.UTF_8);
    String eTag = object.getString("eTag", object.getString("etag", ""));
    JsonObject response = record.getJsonObject("responseElements", new JsonObject());
    JsonObject request = record.getJsonObject("requestParameters", new JsonObject());
    return new S3EventRecords.ObjectChange(
        s3.getJsonObject("bucket").getString("name"),
        key,
        object.getLong("size", 0L),
        eTag.replace("\"", ""),
        eventName,
        object.getString("sequencer", ""),
        response.getString("x-amz-request-id", UUID.randomUUID().toString()),
        request.getString("sourceIPAddress", "127.0.0.1"),
        time(record.getString("eventTime")));
  }

  private static Instant time(String value) {
    if (value == null) {
      return Instant.now();
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("eventTime is not ISO-8601: " + value);
    }
  }
}
