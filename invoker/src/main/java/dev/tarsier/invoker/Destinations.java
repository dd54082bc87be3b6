package dev.tarsier.invoker;

import dev.tarsier.invoker.queue.EventStore;
import dev.tarsier.invoker.queue.QueuedEvent;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends an asynchronous invocation's record to its OnSuccess or OnFailure destination, in Lambda's
 * destination format ({@code version}, {@code requestContext}, {@code requestPayload},
 * {@code responseContext}, {@code responsePayload}). A function destination gets it as a new queued
 * event; a bucket destination gets one JSON object per event. Blocking: call from a worker.
 */
final class Destinations {
  static final Pattern FUNCTION_ARN = Pattern.compile("arn:aws:lambda:[a-z0-9-]+:\\d{12}:function:([a-zA-Z0-9_-]{1,64})(:\\$LATEST)?");
  static final Pattern BUCKET_ARN = Pattern.compile("arn:aws:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])");
  private static final DateTimeFormatter KEY_DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH.mm.ss").withZone(ZoneOffset.UTC);

  private final Clock clock;
  private final InvokerConfig config;
  private final EventStore events;
  private final BucketDestination buckets;

  Destinations(Clock clock, InvokerConfig config, EventStore events, BucketDestination buckets) {
    this.clock = clock;
    this.config = config;
    this.events = events;
    this.buckets = buckets;
  }

  /** Checks a destination ARN when it is configured. */
  static void check(String arn, String field) {
    if (arn != null && !FUNCTION_ARN.matcher(arn).matches() && !BUCKET_ARN.matcher(arn).matches()) {
      throw new LambdaFailure.InvalidParameterValue(field + " destination must be a function ARN "
          + "(arn:aws:lambda:<region>:<account>:function:<name>) or a bucket ARN (arn:aws:s3:::<bucket>), was " + arn);
    }
  }

  /**
   * Delivers the record of {@code event}.
   *
   * @param condition {@code Success}, {@code RetriesExhausted} or {@code EventAgeExceeded}
   * @param response  the last run's answer, or null when the event never ran
   */
  void deliver(String arn, String condition, QueuedEvent event, InvokeResponse response, int invokeCount) throws Exception {
    JsonObject record = record(condition, event, response, invokeCount);
    byte[] body = record.encode().getBytes(StandardCharsets.UTF_8);
    Matcher function = FUNCTION_ARN.matcher(arn);
    if (function.matches()) {
      Instant now = clock.instant();
      events.enqueue(new QueuedEvent(UUID.randomUUID().toString(), function.group(1), body, Trigger.DESTINATION.wireName(), 0, now, now,
          event.depth()));
      return;
    }
    Matcher bucket = BUCKET_ARN.matcher(arn);
    if (bucket.matches()) {
      Instant now = clock.instant();
      String key = "aws/lambda/async/" + event.function() + "/" + KEY_DAY.format(now) + "/" + KEY_TIME.format(now) + "-" + event.id();
      buckets.write(bucket.group(1), key, body);
      return;
    }
    throw new IllegalArgumentException("not a destination ARN: " + arn);
  }

  private JsonObject record(String condition, QueuedEvent event, InvokeResponse response, int invokeCount) {
    JsonObject requestContext = new JsonObject()
        .put("requestId", event.id())
        .put("functionArn", config.functionArn(event.function()) + ":$LATEST")
        .put("condition", condition)
        .put("approximateInvokeCount", invokeCount);
    JsonObject record = new JsonObject()
        .put("version", "1.0")
        .put("timestamp", clock.instant().toString())
        .put("requestContext", requestContext)
        .put("requestPayload", parsed(event.payload()));
    if (response != null) {
      JsonObject responseContext = new JsonObject().put("statusCode", 200).put("executedVersion", "$LATEST");
      if (response.functionError() != null) {
        responseContext.put("functionError", response.functionError());
      }
      record.put("responseContext", responseContext).put("responsePayload", parsed(response.payload().getBytes()));
    }
    return record;
  }

  /** JSON payloads are embedded as JSON, anything else as a string. */
  private static Object parsed(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    try {
      return Json.decodeValue(text);
    } catch (DecodeException e) {
      return text;
    }
  }
}
