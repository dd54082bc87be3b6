package dev.tarsier.gateway.lambda;

import dev.tarsier.gateway.urls.FunctionUrls;
import dev.tarsier.invoker.Invoker;
import dev.tarsier.invoker.InvokerConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Mounts the Lambda REST API (2015-03-31) on the edge router. Paths are accepted with and without a
 * trailing slash, as older SDK models send ListFunctions with one.
 */
public final class LambdaApi {
  /** A 50 MB zip grows by a third in base64, plus the JSON around it. */
  private static final long MAX_CONTROL_BODY = 70_167_211L;
  /** Invoke bodies beyond 6 MB are refused by the invoker; read a little more to say so properly. */
  private static final long MAX_INVOKE_BODY = 6L * 1024 * 1024 + 1;

  private LambdaApi() {}

  public static void mount(Router router, Invoker invoker, InvokerConfig config, FunctionUrls urls) {
    String functions = "/2015-03-31/functions";
    String function = functions + "/:name";
    BodyHandler controlBody = BodyHandler.create(false).setBodyLimit(MAX_CONTROL_BODY);
    BodyHandler invokeBody = BodyHandler.create(false).setBodyLimit(MAX_INVOKE_BODY);

    FunctionHandlers handlers = new FunctionHandlers(invoker, config, urls);
    for (String path : new String[] {functions, functions + "/"}) {
      router.post(path).handler(controlBody).handler(handlers::create);
      router.get(path).handler(handlers::list);
    }
    router.get(function).handler(handlers::get);
    router.get(function + "/configuration").handler(handlers::getConfiguration);
    router.put(function + "/code").handler(controlBody).handler(handlers::updateCode);
    router.put(function + "/configuration").handler(controlBody).handler(handlers::updateConfiguration);
    router.delete(function).handler(handlers::delete);
    router.post(function + "/invocations").handler(invokeBody).handler(new InvokeHandler(invoker));

    ConcurrencyHandlers concurrency = new ConcurrencyHandlers(invoker, config);
    router.put("/2017-10-31/functions/:name/concurrency").handler(controlBody).handler(concurrency::putConcurrency);
    router.get("/2019-09-30/functions/:name/concurrency").handler(concurrency::getConcurrency);
    router.delete("/2017-10-31/functions/:name/concurrency").handler(concurrency::deleteConcurrency);
    String provisioned = "/2019-09-30/functions/:name/provisioned-concurrency";
    router.put(provisioned).handler(controlBody).handler(concurrency::putProvisioned);
    router.get(provisioned).handler(concurrency::getProvisioned);
    router.delete(provisioned).handler(concurrency::deleteProvisioned);
    String eventInvokeConfig = "/2019-09-25/functions/:name/event-invoke-config";
    router.put(eventInvokeConfig).handler(controlBody).handler(concurrency::putEventInvokeConfig);
    router.post(eventInvokeConfig).handler(controlBody).handler(concurrency::updateEventInvokeConfig);
    router.get(eventInvokeConfig).handler(concurrency::getEventInvokeConfig);
    router.delete(eventInvokeConfig).handler(concurrency::deleteEventInvokeConfig);
    router.get("/2016-08-19/account-settings").handler(concurrency::accountSettings);
    router.get("/2016-08-19/account-settings/").handler(concurrency::accountSettings);

    PolicyHandlers policies = new PolicyHandlers(invoker);
    router.post(function + "/policy").handler(controlBody).handler(policies::add);
    router.get(function + "/policy").handler(policies::get);
    router.delete(function + "/policy/:sid").handler(policies::remove);

    FunctionUrlHandlers urlConfigs = new FunctionUrlHandlers(urls, config);
    String url = "/2021-10-31/functions/:name/url";
    router.post(url).handler(controlBody).handler(urlConfigs::create);
    router.get(url).handler(urlConfigs::get);
    router.put(url).handler(controlBody).handler(urlConfigs::update);
    router.delete(url).handler(urlConfigs::delete);
    for (String prefix : new String[] {"/2015-03-31/*", "/2017-10-31/*", "/2019-09-25/*", "/2019-09-30/*", "/2016-08-19/*", "/2021-10-31/*"}) {
      router.route(prefix).failureHandler(LambdaApi::failed);
    }
  }

  /** Failures raised before a handler ran (a body over its limit, mostly), in Lambda's shape. */
  private static void failed(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      String operation = ctx.request().path().endsWith("/invocations") ? "InvokeFunction" : "CreateFunction";
      long limit = operation.equals("InvokeFunction") ? MAX_INVOKE_BODY - 1 : MAX_CONTROL_BODY;
      LambdaErrors.write(ctx, 413, "RequestEntityTooLargeException", "User",
          "Request must be smaller than " + limit + " bytes for the " + operation + " operation", null);
    } else if (ctx.failure() != null) {
      LambdaErrors.send(ctx, ctx.failure());
    } else {
      LambdaErrors.write(ctx, ctx.statusCode(), "ServiceException", "Service", "request failed with status " + ctx.statusCode(), null);
    }
  }
}
