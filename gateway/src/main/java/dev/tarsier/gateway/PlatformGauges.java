package dev.tarsier.gateway;

import dev.tarsier.invoker.Invoker;
import dev.tarsier.sandbox.WarmPool;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges whose values live behind asynchronous calls (sandboxes by state, the queue's depth and age):
 * refreshed on a timer so a scrape reads plain numbers and never waits.
 */
final class PlatformGauges {
  private static final long REFRESH_MS = 2000;
  private static final List<String> STATES = List.of("starting", "idle", "paused", "busy", "destroying");

  private final Vertx vertx;
  private final Map<String, AtomicLong> sandboxes = new ConcurrentHashMap<>();
  private final AtomicLong queueDepth = new AtomicLong();
  private final AtomicLong queueAgeMs = new AtomicLong();
  private long timer;

  private final Clock clock;

  private PlatformGauges(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  static PlatformGauges start(Vertx vertx, MeterRegistry registry, WarmPool pool, Invoker invoker, Clock clock) {
    PlatformGauges gauges = new PlatformGauges(vertx, clock);
    for (String state : STATES) {
      AtomicLong value = gauges.sandboxes.computeIfAbsent(state, s -> new AtomicLong());
      Gauge.builder("tarsier.sandboxes", value, AtomicLong::get).tag("state", state).register(registry);
    }
    Gauge.builder("tarsier.queue.depth", gauges.queueDepth, AtomicLong::get).description("Async events waiting or running").register(registry);
    Gauge.builder("tarsier.queue.oldest.age", gauges.queueAgeMs, AtomicLong::get).baseUnit("milliseconds").register(registry);
    gauges.timer = vertx.setPeriodic(0, REFRESH_MS, t -> gauges.refresh(pool, invoker));
    return gauges;
  }

  private void refresh(WarmPool pool, Invoker invoker) {
    pool.states().onSuccess(counts -> STATES.forEach(state -> sandboxes.get(state).set(counts.getOrDefault(state, 0))));
    invoker.queueDepth().onSuccess(depth -> {
      queueDepth.set(depth.events());
      queueAgeMs.set(depth.oldestAgeMs(clock.instant()));
    });
  }

  void stop() {
    vertx.cancelTimer(timer);
  }
}
