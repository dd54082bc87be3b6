package dev.tarsier.gateway.bench;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** The benchmark's result as a table for a terminal, with the targets beside what was measured. */
final class BenchTable {
  private BenchTable() {}

  static String render(JsonObject report) {
    StringBuilder table = new StringBuilder();
    table.append("isolation: ").append(report.getString("isolation")).append('\n');
    table.append("machine:   ").append(report.getJsonObject("machine").encode()).append('\n');
    table.append(String.format(Locale.ROOT, "java archives built in %.1f s%n%n", report.getDouble("archiveBuildSeconds", 0.0)));
    table.append(String.format(Locale.ROOT, "%-11s %10s %10s %10s %10s %10s %12s %12s %10s %10s%n",
        "runtime", "cold p50", "cold p90", "init p50", "warm p50", "warm p99", "warm/s c=1", "warm/s c=16", "idle MB", "per GiB"));
    JsonObject runtimes = report.getJsonObject("runtimes");
    for (String runtime : runtimes.fieldNames()) {
      JsonObject r = runtimes.getJsonObject(runtime);
      table.append(String.format(Locale.ROOT, "%-11s %10s %10s %10s %10s %10s %12.0f %12.0f %10.1f %10.1f%n", runtime,
          Samples.ms(r.getDouble("coldP50Ms")), Samples.ms(r.getDouble("coldP90Ms")), Samples.ms(r.getDouble("coldInitP50Ms")),
          Samples.ms(r.getDouble("warmP50Ms")), Samples.ms(r.getDouble("warmP99Ms")),
          r.getDouble("throughputC1PerSecond"), r.getDouble("throughputC16PerSecond"),
          r.getDouble("idleMemoryMb"), r.getDouble("sandboxesPerGiB")));
    }
    table.append("(ms; cold = Invoke request to response with a new sandbox; init = the REPORT's Init Duration)\n");
    for (String runtime : runtimes.fieldNames()) {
      JsonObject r = runtimes.getJsonObject(runtime);
      table.append(String.format(Locale.ROOT,
          "%s: invoke after 1.5 s idle (frozen) %s ms, after 0.7 s idle (not frozen) %s ms, back to back %s ms (p50)%n",
          runtime, Samples.ms(r.getDouble("thawedInvokeP50Ms")), Samples.ms(r.getDouble("idleUnfrozenInvokeP50Ms")),
          Samples.ms(r.getDouble("warmP50Ms"))));
    }
    table.append("targets: cold p50 python 60, node 80, java25 120, java17 150; warm p50 0.5, p99 2; 5,000/s at c=16 for "
        + "python and node; idle sandboxes per GiB python 80, node 50, java 20\n\n");
    table.append("floors, same run:\n");
    JsonObject floors = report.getJsonObject("floors");
    for (String floor : floors.fieldNames()) {
      table.append(String.format(Locale.ROOT, "  %-36s %8s ms%n", floor, Samples.ms(floors.getDouble(floor))));
    }
    return table.toString();
  }
}
