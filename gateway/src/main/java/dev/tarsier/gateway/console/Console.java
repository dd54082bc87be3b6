package dev.tarsier.gateway.console;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;

/**
 * The web console at {@code /_/console/}: static pages (class-path {@code console/}) that call the same
 * Lambda, S3 and {@code /_/api/} endpoints a user could, plus the front-end libraries they use, served
 * from their WebJars at {@code /_/console/vendor/<library>/} so the pages never name a version.
 *
 * <p>Mount once, on the edge router, while wiring the platform.
 */
public final class Console {
  /** The WebJars the pages load; each must be on the class path (the gateway's pom declares them). */
  private static final List<String> LIBRARIES = List.of("uplot", "codemirror");

  /**
   * Scripts only from the console itself; styles may be set inline because the chart and editor
   * libraries size their elements that way. Function output is shown as text, never as markup.
   */
  private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  private Console() {}

  /** Adds the console's routes; fails at once if a library's WebJar is missing from the class path. */
  public static void mount(Router router) {
    // Relative links in the pages need the trailing slash; Vert.x matches "/_/console" for both forms.
    router.get("/_/console").handler(ctx -> {
      if (ctx.request().path().equals("/_/console")) {
        ctx.redirect("/_/console/");
      } else {
        ctx.next();
      }
    });
    for (String library : LIBRARIES) {
      WebJar jar = WebJar.find(library);
      router.get("/_/console/vendor/" + library + "/*").handler(Console::headers).handler(files(jar.root()));
    }
    router.get("/_/console/*").handler(Console::headers).handler(files("console"));
  }

  /**
   * Every response revalidates (max-age 0 with Last-Modified), so a platform upgrade is seen on the
   * next page load without version numbers in the URLs.
   */
  private static Handler<RoutingContext> files(String root) {
    return StaticHandler.create(root).setCachingEnabled(true).setMaxAgeSeconds(0).setDirectoryListing(false);
  }

  private static void headers(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "same-origin");
    ctx.next();
  }
}
