package dev.tarsier.gateway.lambda;

import dev.tarsier.gateway.urls.FunctionUrls;
import dev.tarsier.invoker.FunctionConfig;
import dev.tarsier.invoker.FunctionSettings;
import dev.tarsier.invoker.Invoker;
import dev.tarsier.invoker.InvokerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Base64;
import java.util.List;

/** The function control-plane operations: one small method per endpoint, JSON in and out. */
final class FunctionHandlers {
  private final Invoker invoker;
  private final InvokerConfig config;
  private final FunctionUrls urls;

  FunctionHandlers(Invoker invoker, InvokerConfig config, FunctionUrls urls) {
    this.invoker = invoker;
    this.config = config;
    this.urls = urls;
  }

  void create(RoutingContext ctx) {
    JsonObject body = Bodies.json(ctx);
    if (body == null) {
      return;
    }
    JsonObject code = body.getJsonObject("Code");
    if (code == null || code.getString("ZipFile") == null) {
      LambdaErrors.invalid(ctx, "Code.ZipFile is required: this platform takes code as a base64 zip in the request");
      return;
    }
    byte[] zip = decodeZip(ctx, code.getString("ZipFile"));
    if (zip == null) {
      return;
    }
    FunctionSettings settings = FunctionJson.settings(body);
    Bodies.reply(ctx, 201, invoker.createFunction(body.getString("FunctionName"), settings, zip).map(this::configuration));
  }

  void get(RoutingContext ctx) {
    String name = name(ctx);
    Bodies.reply(ctx, 200, invoker.getFunction(name).compose(f -> invoker.getFunctionConcurrency(name).map(reserved -> {
      JsonObject json = new JsonObject()
          .put("Configuration", configuration(f))
          .put("Code", new JsonObject().put("RepositoryType", "S3").put("Location", ""))
          .put("Tags", new JsonObject());
      if (reserved != null) {
        json.put("Concurrency", new JsonObject().put("ReservedConcurrentExecutions", reserved));
      }
      return json;
    })));
  }

  void getConfiguration(RoutingContext ctx) {
    Bodies.reply(ctx, 200, invoker.getFunction(name(ctx)).map(this::configuration));
  }

  void list(RoutingContext ctx) {
    int maxItems;
    try {
      String value = ctx.request().getParam("MaxItems");
      maxItems = value == null ? 50 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      LambdaErrors.invalid(ctx, "MaxItems must be a number between 1 and 10000");
      return;
    }
    if (maxItems < 1 || maxItems > 10000) {
      LambdaErrors.invalid(ctx, "MaxItems must be between 1 and 10000");
      return;
    }
    int pageSize = Math.min(maxItems, 50);
    Bodies.reply(ctx, 200, invoker.listFunctions(ctx.request().getParam("Marker"), pageSize + 1).map(page -> {
      List<FunctionConfig> shown = page.size() > pageSize ? page.subList(0, pageSize) : page;
      JsonArray functions = new JsonArray();
      shown.forEach(f -> functions.add(configuration(f)));
      JsonObject json = new JsonObject().put("Functions", functions);
      if (page.size() > pageSize) {
        json.put("NextMarker", shown.get(shown.size() - 1).name());
      }
      return json;
    }));
  }

  void updateCode(RoutingContext ctx) {
    JsonObject body = Bodies.json(ctx);
    if (body == null) {
      return;
    }
    if (body.getString("ZipFile") == null) {
      LambdaErrors.invalid(ctx, "ZipFile is required: this platform takes code as a base64 zip in the request");
      return;
    }
    byte[] zip = decodeZip(ctx, body.getString("ZipFile"));
    if (zip != null) {
      Bodies.reply(ctx, 200, invoker.updateFunctionCode(name(ctx), zip).map(this::configuration));
    }
  }

  void updateConfiguration(RoutingContext ctx) {
    JsonObject body = Bodies.json(ctx);
    if (body != null) {
      Bodies.reply(ctx, 200, invoker.updateFunctionConfiguration(name(ctx), FunctionJson.settings(body)).map(this::configuration));
    }
  }

  void delete(RoutingContext ctx) {
    String name = name(ctx);
    Bodies.noContent(ctx, invoker.deleteFunction(name).compose(deleted -> urls.forget(name)));
  }

  private JsonObject configuration(FunctionConfig f) {
    return FunctionJson.configuration(f, config.functionArn(f.name()));
  }

  static String name(RoutingContext ctx) {
    return FunctionNames.of(ctx.pathParam("name"));
  }

  private static byte[] decodeZip(RoutingContext ctx, String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      LambdaErrors.invalid(ctx, "Could not unzip uploaded file: ZipFile is not valid base64");
      return null;
    }
  }
}
