package dev.tarsier.gateway.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Durations measured in nanoseconds, summarised as percentiles in milliseconds. */
final class Samples {
  private final List<Long> nanos = new ArrayList<>();

  synchronized void add(long value) {
    nanos.add(value);
  }

  synchronized int size() {
    return nanos.size();
  }

  /** The {@code p}-th percentile (nearest rank) in ms, or NaN when empty. */
  synchronized double percentileMs(double p) {
    if (nanos.isEmpty()) {
      return Double.NaN;
    }
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1e6;
  }

  /** The {@code p}-th percentile in ns, or -1 when empty. */
  synchronized long percentileNanos(double p) {
    double ms = percentileMs(p);
    return Double.isNaN(ms) ? -1 : (long) (ms * 1e6);
  }

  static String ms(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, value < 10 ? "%.2f" : "%.0f", value);
  }
}
