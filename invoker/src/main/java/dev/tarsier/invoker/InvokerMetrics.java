package dev.tarsier.invoker;

import dev.tarsier.invoker.records.InvocationRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The invoker's meters: invocations by function, status and trigger; throttles; duration and init
 * duration distributions; cold starts; concurrent executions. Thread-safe.
 */
final class InvokerMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger concurrent = new AtomicInteger();

  InvokerMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("tarsier.concurrent.executions", concurrent);
  }

  void started() {
    concurrent.incrementAndGet();
  }

  void finished() {
    concurrent.decrementAndGet();
  }

  void throttled(String function) {
    Counter.builder("tarsier.throttles").description("Invocations refused for want of concurrency")
        .tag("function", function).register(registry).increment();
  }

  void recorded(InvocationRecord record) {
    if (record.status().equals("throttled")) {
      return;
    }
    Counter.builder("tarsier.invocations").description("Invocations by how they ended")
        .tag("function", record.function()).tag("status", record.status()).tag("trigger", record.trigger())
        .register(registry).increment();
    if (!record.status().equals("ok")) {
      Counter.builder("tarsier.errors").tag("function", record.function()).tag("status", record.status())
          .register(registry).increment();
    }
    DistributionSummary.builder("tarsier.duration").baseUnit("milliseconds").description("Handler duration")
        .tag("function", record.function()).publishPercentiles(0.5, 0.99).publishPercentileHistogram()
        .register(registry).record(record.durationMs());
    if (record.cold()) {
      Counter.builder("tarsier.cold.starts").tag("function", record.function()).register(registry).increment();
      DistributionSummary.builder("tarsier.init.duration").baseUnit("milliseconds").description("Runtime init on cold starts")
          .tag("function", record.function()).publishPercentileHistogram().register(registry).record(Math.max(0, record.initMs()));
    }
  }
}
