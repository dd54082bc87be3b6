package dev.tarsier.gateway.lambda;

import dev.tarsier.invoker.AsyncConfig;
import dev.tarsier.invoker.Invoker;
import dev.tarsier.invoker.InvokerConfig;
import dev.tarsier.invoker.LambdaFailure;
import dev.tarsier.invoker.ProvisionedConcurrency;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Reserved and provisioned concurrency, async invocation settings and account settings: Lambda's shapes both ways. */
final class ConcurrencyHandlers {
  /** Provisioned concurrency's {@code LastModified}, as Lambda writes it: {@code 2019-12-31T20:28:49+0000}. */
  private static final DateTimeFormatter PROVISIONED_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ").withZone(ZoneOffset.UTC);
  private final Invoker invoker;
  private final InvokerConfig config;

  ConcurrencyHandlers(Invoker invoker, InvokerConfig config) {
    this.invoker = invoker;
    this.config = config;
  }

  void putConcurrency(RoutingContext ctx) {
    JsonObject body = Bodies.json(ctx);
    if (body == null) {
      return;
    }
    Integer reserved = body.getInteger("ReservedConcurrentExecutions");
    if (reserved == null) {
      LambdaErrors.invalid(ctx, "ReservedConcurrentExecutions is required");
      return;
    }
    Bodies.reply(ctx, 200, invoker.putFunctionConcurrency(FunctionHandlers.name(ctx), reserved)
        .map(value -> new JsonObject().put("ReservedConcurrentExecutions", value)));
  }

  void getConcurrency(RoutingContext ctx) {
    Bodies.reply(ctx, 200, invoker.getFunctionConcurrency(FunctionHandlers.name(ctx))
        .map(value -> value == null ? new JsonObject() : new JsonObject().put("ReservedConcurrentExecutions", value)));
  }

  void deleteConcurrency(RoutingContext ctx) {
    Bodies.noContent(ctx, invoker.deleteFunctionConcurrency(FunctionHandlers.name(ctx)));
  }

  /** PutProvisionedConcurrencyConfig: kept warm as sandboxes of the function's current code ({@code Qualifier} is accepted, not needed). */
  void putProvisioned(RoutingContext ctx) {
    JsonObject body = Bodies.json(ctx);
    if (body == null) {
      return;
    }
    Integer sandboxes = body.getInteger("ProvisionedConcurrentExecutions");
    if (sandboxes == null) {
      LambdaErrors.invalid(ctx, "ProvisionedConcurrentExecutions is required");
      return;
    }
    Bodies.reply(ctx, 202, invoker.putProvisionedConcurrency(FunctionHandlers.name(ctx), sandboxes).map(this::provisioned));
  }

  void getProvisioned(RoutingContext ctx) {
    String name = FunctionHandlers.name(ctx);
    Bodies.reply(ctx, 200, invoker.getProvisionedConcurrency(name).map(config -> {
      if (config == null) {
        throw new LambdaFailure.ResourceNotFound("No Provisioned Concurrency Config found for this function: " + name);
      }
      return provisioned(config);
    }));
  }

  void deleteProvisioned(RoutingContext ctx) {
    Bodies.noContent(ctx, invoker.deleteProvisionedConcurrency(FunctionHandlers.name(ctx)));
  }

  /** Lambda's shape: every started provisioned sandbox is both allocated and available. */
  private JsonObject provisioned(ProvisionedConcurrency config) {
    JsonObject json = new JsonObject()
        .put("RequestedProvisionedConcurrentExecutions", config.requested())
        .put("AllocatedProvisionedConcurrentExecutions", config.allocated())
        .put("AvailableProvisionedConcurrentExecutions", config.allocated())
        .put("Status", config.status().name())
        .put("LastModified", PROVISIONED_MODIFIED.format(config.lastModified()));
    if (config.statusReason() != null) {
      json.put("StatusReason", config.statusReason());
    }
    return json;
  }

  void putEventInvokeConfig(RoutingContext ctx) {
    saveEventInvokeConfig(ctx, false);
  }

  void updateEventInvokeConfig(RoutingContext ctx) {
    saveEventInvokeConfig(ctx, true);
  }

  private void saveEventInvokeConfig(RoutingContext ctx, boolean merge) {
    JsonObject body = Bodies.json(ctx);
    if (body == null) {
      return;
    }
    JsonObject destinations = body.getJsonObject("DestinationConfig", new JsonObject());
    String onSuccess = destinations.getJsonObject("OnSuccess", new JsonObject()).getString("Destination");
    String onFailure = destinations.getJsonObject("OnFailure", new JsonObject()).getString("Destination");
    Bodies.reply(ctx, 200, invoker.putEventInvokeConfig(FunctionHandlers.name(ctx), body.getInteger("MaximumRetryAttempts"),
        body.getInteger("MaximumEventAgeInSeconds"), onSuccess, onFailure, merge).map(this::eventInvokeConfig));
  }

  void getEventInvokeConfig(RoutingContext ctx) {
    Bodies.reply(ctx, 200, invoker.getEventInvokeConfig(FunctionHandlers.name(ctx)).map(this::eventInvokeConfig));
  }

  void deleteEventInvokeConfig(RoutingContext ctx) {
    Bodies.noContent(ctx, invoker.deleteEventInvokeConfig(FunctionHandlers.name(ctx)));
  }

  void accountSettings(RoutingContext ctx) {
    Bodies.reply(ctx, 200, invoker.accountConcurrency().map(account -> new JsonObject()
        .put("AccountLimit", new JsonObject()
            .put("ConcurrentExecutions", account.limit())
            .put("UnreservedConcurrentExecutions", account.unreserved())
            .put("CodeSizeUnzipped", 262144000L)
            .put("CodeSizeZipped", 52428800L)
            .put("TotalCodeSize", 80530636800L))
        .put("AccountUsage", new JsonObject())));
  }

  private JsonObject eventInvokeConfig(AsyncConfig async) {
    JsonObject destinations = new JsonObject();
    if (async.onSuccess() != null) {
      destinations.put("OnSuccess", new JsonObject().put("Destination", async.onSuccess()));
    }
    if (async.onFailure() != null) {
      destinations.put("OnFailure", new JsonObject().put("Destination", async.onFailure()));
    }
    return new JsonObject()
        .put("FunctionArn", config.functionArn(async.function()) + ":$LATEST")
        .put("MaximumRetryAttempts", async.maxRetryAttempts())
        .put("MaximumEventAgeInSeconds", async.maxEventAgeSeconds())
        .put("LastModified", async.lastModified())
        .put("DestinationConfig", destinations);
  }

}
