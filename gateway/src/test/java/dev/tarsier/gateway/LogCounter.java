package dev.tarsier.gateway;

import dev.tarsier.invoker.LogFollowers;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** The logs of a function's invocations as they end, for tests to await without polling. */
final class LogCounter implements AutoCloseable {
  private final MessageConsumer<String> consumer;
  private final Semaphore arrived = new Semaphore(0);
  private final List<String> logs = new CopyOnWriteArrayList<>();

  LogCounter(Vertx vertx, String function) {
    consumer = vertx.eventBus().consumer(LogFollowers.address(function), message -> {
      logs.add(message.body());
      arrived.release();
    });
    consumer.completion().await();
  }

  /** Waits until {@code count} more invocations have ended; false when {@code within} passed first. */
  boolean await(int count, Duration within) throws InterruptedException {
    return arrived.tryAcquire(count, within.toMillis(), TimeUnit.MILLISECONDS);
  }

  List<String> logs() {
    return List.copyOf(logs);
  }

  @Override
  public void close() {
    consumer.unregister();
  }
}
