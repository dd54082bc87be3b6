package dev.tarsier.gateway;

import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code ./tarsier up}: starts the platform, prints where it listens, and stops cleanly on Ctrl-C. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    GatewayConfig config;
    try {
      config = GatewayConfig.from(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("tarsier: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    Platform platform;
    try {
      platform = Platform.start(vertx, config).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("tarsier: could not start: " + e.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    printBanner(config, platform);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("\ntarsier: stopping, removing sandboxes ...");
      try {
        platform.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("tarsier: " + e.getMessage());
      }
      stopped.countDown();
    }, "tarsier-shutdown"));
    stopped.await();
  }

  private static void printBanner(GatewayConfig config, Platform platform) {
    String endpoint = "http://" + config.host() + ":" + platform.port();
    System.out.println("""
        tarsier is up
          edge      %s  (Lambda API, health at /_/health)
          console   %s/_/console/
          data      %s
          isolation %s
          runtimes  %s

        try it:
          aws --endpoint-url %s --region us-east-1 lambda list-functions
          ./tarsier help

        Ctrl-C stops it.""".formatted(endpoint, endpoint, config.dataDir(), platform.pool().isolation(),
        String.join(", ", platform.pool().offeredRuntimes().stream().map(r -> r.wireName()).sorted().toList()), endpoint));
  }
}
