package dev.tarsier.gateway.api;

import dev.tarsier.invoker.Invoker;
import dev.tarsier.invoker.LambdaFailure;
import dev.tarsier.invoker.LogFollowers;
import dev.tarsier.invoker.records.InvocationRecord;
import dev.tarsier.invoker.records.InvocationRecords;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The small JSON API under {@code /_/api/} that the console and {@code ./tarsier logs} use: invocation
 * records with filters, one record by id, a function's recent logs or a live follow (server-sent
 * events), and the async queue's depth.
 */
public final class RecordsApi {
  private final Vertx vertx;
  private final Invoker invoker;
  private final Clock clock;

  private RecordsApi(Vertx vertx, Invoker invoker, Clock clock) {
    this.vertx = vertx;
    this.invoker = invoker;
    this.clock = clock;
  }

  public static void mount(Router router, Vertx vertx, Invoker invoker, Clock clock) {
    RecordsApi api = new RecordsApi(vertx, invoker, clock);
    router.get("/_/api/invocations").handler(api::list);
    router.get("/_/api/invocations/:id").handler(api::get);
    router.get("/_/api/functions/:name/logs").handler(api::logs);
    router.get("/_/api/queue").handler(api::queue);
  }

  private void list(RoutingContext ctx) {
    InvocationRecords.Query query;
    try {
      query = new InvocationRecords.Query(ctx.request().getParam("function"), ctx.request().getParam("status"),
          ctx.request().getParam("trigger"), instant(ctx, "since"), instant(ctx, "until"), limit(ctx, 100));
    } catch (IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    reply(ctx, invoker.invocations(query).map(records -> {
      JsonArray items = new JsonArray();
      records.forEach(record -> items.add(json(record, false)));
      return new JsonObject().put("invocations", items);
    }));
  }

  private void get(RoutingContext ctx) {
    reply(ctx, invoker.invocation(ctx.pathParam("id")).map(record -> json(record, true)));
  }

  /** Recent logs as text, oldest first; with {@code follow=true}, a server-sent event per invocation as it ends. */
  private void logs(RoutingContext ctx) {
    String function = ctx.pathParam("name");
    if (!"true".equals(ctx.request().getParam("follow"))) {
      int limit;
      try {
        limit = limit(ctx, 20);
      } catch (IllegalArgumentException e) {
        error(ctx, 400, e.getMessage());
        return;
      }
      invoker.invocations(new InvocationRecords.Query(function, null, null, null, null, limit)).onComplete(done -> {
        if (done.failed()) {
          error(ctx, 500, done.cause().getMessage());
          return;
        }
        StringBuilder text = new StringBuilder();
        List<InvocationRecord> records = done.result();
        for (int i = records.size() - 1; i >= 0; i--) {
          text.append(records.get(i).log());
        }
        ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(text.toString());
      });
      return;
    }
    HttpServerResponse response = ctx.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    response.write(": following " + function + "\n\n");
    MessageConsumer<String> consumer = vertx.eventBus().consumer(LogFollowers.address(function), message -> {
      StringBuilder event = new StringBuilder("event: log\n");
      message.body().lines().forEach(line -> event.append("data: ").append(line).append('\n'));
      response.write(event.append('\n').toString());
    });
    long keepAlive = vertx.setPeriodic(Duration.ofSeconds(15).toMillis(), t -> response.write(": keep-alive\n\n"));
    response.closeHandler(closed -> {
      consumer.unregister();
      vertx.cancelTimer(keepAlive);
    });
  }

  private void queue(RoutingContext ctx) {
    reply(ctx, invoker.queueDepth().map(depth -> new JsonObject()
        .put("depth", depth.events())
        .put("oldestAgeMs", depth.oldestAgeMs(clock.instant()))));
  }

  static JsonObject json(InvocationRecord r, boolean full) {
    JsonObject json = new JsonObject()
        .put("id", r.id())
        .put("function", r.function())
        .put("codeSha256", r.codeSha256())
        .put("trigger", r.trigger())
        .put("status", r.status())
        .put("startedAt", r.startedAt().toString())
        .put("durationMs", r.durationMs())
        .put("billedMs", r.billedMs())
        .put("initMs", r.initMs() < 0 ? null : r.initMs())
        .put("createMs", r.createMs())
        .put("queueWaitMs", r.queueWaitMs())
        .put("memorySize", r.memorySize())
        .put("maxMemoryUsedMb", r.maxMemoryUsedMb())
        .put("cold", r.cold())
        .put("errorType", r.errorType())
        .put("attempt", r.attempt());
    if (full) {
      json.put("request", r.request()).put("result", r.result()).put("log", r.log());
    }
    return json;
  }

  private static Instant instant(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    try {
      return value == null ? null : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, was " + value);
    }
  }

  private static int limit(RoutingContext ctx, int fallback) {
    String value = ctx.request().getParam("limit");
    try {
      return value == null ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("limit must be a number, was " + value);
    }
  }

  private static void reply(RoutingContext ctx, Future<JsonObject> result) {
    result.onComplete(done -> {
      if (done.succeeded()) {
        ctx.json(done.result());
      } else if (done.cause() instanceof LambdaFailure.ResourceNotFound notFound) {
        error(ctx, 404, notFound.getMessage());
      } else {
        error(ctx, 500, String.valueOf(done.cause().getMessage()));
      }
    });
  }

  private static void error(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", message).encode());
  }
}
