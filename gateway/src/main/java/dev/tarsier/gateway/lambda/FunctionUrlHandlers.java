package dev.tarsier.gateway.lambda;

import dev.tarsier.gateway.urls.FunctionUrl;
import dev.tarsier.gateway.urls.FunctionUrls;
import dev.tarsier.invoker.InvokerConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** CreateFunctionUrlConfig, GetFunctionUrlConfig, UpdateFunctionUrlConfig and DeleteFunctionUrlConfig. */
final class FunctionUrlHandlers {
  private final FunctionUrls urls;
  private final InvokerConfig config;

  FunctionUrlHandlers(FunctionUrls urls, InvokerConfig config) {
    this.urls = urls;
    this.config = config;
  }

  void create(RoutingContext ctx) {
    JsonObject body = Bodies.json(ctx);
    if (body != null) {
      Bodies.reply(ctx, 201, urls.create(FunctionHandlers.name(ctx), body.getString("AuthType", "NONE"), body.getString("InvokeMode"),
          body.getJsonObject("Cors")).map(this::json));
    }
  }

  void get(RoutingContext ctx) {
    Bodies.reply(ctx, 200, urls.get(FunctionHandlers.name(ctx)).map(this::json));
  }

  void update(RoutingContext ctx) {
    JsonObject body = Bodies.json(ctx);
    if (body != null) {
      Bodies.reply(ctx, 200, urls.update(FunctionHandlers.name(ctx), body.getString("AuthType"), body.getString("InvokeMode"),
          body.getJsonObject("Cors")).map(this::json));
    }
  }

  void delete(RoutingContext ctx) {
    Bodies.noContent(ctx, urls.delete(FunctionHandlers.name(ctx)));
  }

  private JsonObject json(FunctionUrl url) {
    return new JsonObject()
        .put("FunctionUrl", urls.url(url))
        .put("FunctionArn", config.functionArn(url.function()))
        .put("AuthType", url.authType())
        .put("Cors", url.cors())
        .put("CreationTime", url.creationTime())
        .put("LastModifiedTime", url.lastModified())
        .put("InvokeMode", url.invokeMode());
  }
}
