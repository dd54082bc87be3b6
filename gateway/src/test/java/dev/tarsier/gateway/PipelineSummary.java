package dev.tarsier.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What {@link PipelineBench}'s runs come to, printed and put in its report: ratios to the floor for one
 * variant, and for two, each one's medians and their differences pair by pair.
 */
final class PipelineSummary {
  /** The runs whose median shows where a long series settles, and the fewest runs that report it. */
  private static final int SETTLED = 5;
  private static final int SETTLED_FROM = 12;

  private PipelineSummary() {}

  /**
   * One variant: the first run's ratio, the warm runs' median and best, and where a long series settles;
   * each against the best floor of all, then against the floor timed just before each run. The second
   * compares a run with what the machine could do at that moment: a stretch where the machine slows
   * down shows on both sides of the ratio rather than on one.
   */
  static void single(int runs, JsonArray results, JsonObject report) {
    System.out.printf(Locale.ROOT, "  first run %.2fx", results.getJsonObject(0).getDouble("ratio"));
    summarize(runs, results, report, r -> r.getDouble("ratio"), "", "; ");
    System.out.println("; target ≤ 2x");
    if (runs > 1) {
      System.out.print("  against the floor timed just before each run:");
      summarize(runs, results, report, r -> r.getDouble("pipelineSeconds") / r.getDouble("floorJustBeforeSeconds"), "paired", " ");
      System.out.println();
    }
  }

  /** Prints the warm and settled medians of {@code ratio} after {@code separator}, and reports them under keys with {@code prefix}. */
  private static void summarize(int runs, JsonArray results, JsonObject report, ToDoubleFunction<JsonObject> ratio, String prefix,
      String separator) {
    if (runs > 1) {
      double[] warm = ratios(results, 1, ratio);
      double median = median(warm);
      System.out.printf(Locale.ROOT, "%s%s: median %.2fx, best %.2fx", separator,
          runs == 2 ? "warm run 2" : "warm runs 2-" + runs, median, warm[0]);
      report.put(key(prefix, "warmMedianRatio"), median).put(key(prefix, "warmBestRatio"), warm[0]);
    }
    if (runs >= SETTLED_FROM) {
      // The platform's JIT and the function's keep improving for about ten runs; the last ones show where they settle.
      double settled = median(ratios(results, runs - SETTLED, ratio));
      System.out.printf(Locale.ROOT, "; settled (last %d): median %.2fx", SETTLED, settled);
      report.put(key(prefix, "settledMedianRatio"), settled);
    }
  }

  /** {@code warmMedianRatio}, or with a prefix {@code pairedWarmMedianRatio}. */
  private static String key(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  /**
   * For each variant, the medians of its warm runs and of the later half of its runs (where the JITs have
   * mostly settled): time, ratio to the floor, the phases, and the function's CPU.
   */
  static JsonArray compare(int runs, List<PipelineBench.Variant> variants, JsonArray results, double floorSeconds) {
    int from = Math.max(2, runs / 2 + 1);
    JsonArray summaries = new JsonArray();
    for (PipelineBench.Variant variant : variants) {
      List<JsonObject> own = results.stream().map(JsonObject.class::cast).filter(r -> r.getString("variant").equals(variant.label())).toList();
      List<JsonObject> warm = own.stream().filter(r -> r.getInteger("run") >= 2).toList();
      List<JsonObject> later = own.stream().filter(r -> r.getInteger("run") >= from).toList();
      if (warm.isEmpty()) {
        continue;
      }
      double warmSeconds = medianOf(warm, r -> r.getDouble("pipelineSeconds"));
      double laterSeconds = medianOf(later, r -> r.getDouble("pipelineSeconds"));
      System.out.printf(Locale.ROOT, "  %s: JAVA_TOOL_OPTIONS=%s%n", variant.label(), variant.toolOptions());
      System.out.printf(Locale.ROOT, "     warm runs 2-%d: median %.2f s (%.2fx); runs %d-%d: median %.2f s (%.2fx), PutObject %.2f s, "
              + "download and unpack %.0f ms, upload %.0f ms, function's CPU %.2f s%n",
          runs, warmSeconds, warmSeconds / floorSeconds, from, runs, laterSeconds, laterSeconds / floorSeconds,
          medianOf(later, r -> r.getDouble("putObjectSeconds")), medianOf(later, r -> phaseMillis(r, "download and unpack")),
          medianOf(later, r -> phaseMillis(r, "upload")), medianOf(later, r -> r.getDouble("functionCpuSeconds")));
      summaries.add(new JsonObject().put("variant", variant.label()).put("javaToolOptions", variant.toolOptions())
          .put("warmMedianSeconds", warmSeconds).put("laterFromRun", from).put("laterMedianSeconds", laterSeconds));
    }
    if (variants.size() == 2) {
      summaries.add(paired(results, variants.get(0).label(), from, runs));
    }
    return summaries;
  }

  /**
   * B minus A run by run over the later half: each pair ran back to back, so what the machine was going
   * through cancels out, and the function's own figures leave out the PutObject (the bench client's,
   * the same code in both), which varies most. Prints and returns the median difference of each
   * figure and in how many pairs B came out lower.
   */
  private static JsonObject paired(JsonArray results, String first, int from, int runs) {
    Map<Integer, JsonObject> a = new HashMap<>();
    Map<Integer, JsonObject> b = new HashMap<>();
    for (Object result : results) {
      JsonObject run = (JsonObject) result;
      if (run.getInteger("run") >= from) {
        (run.getString("variant").equals(first) ? a : b).put(run.getInteger("run"), run);
      }
    }
    List<Integer> both = a.keySet().stream().filter(b::containsKey).sorted().toList();
    JsonObject summary = new JsonObject().put("variant", "B - A").put("pairs", both.size());
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  B - A, pair by pair (runs %d-%d, %d pairs):", from, runs,
        both.size()));
    Map<String, ToDoubleFunction<JsonObject>> figures = new LinkedHashMap<>();
    figures.put("function", r -> r.getDouble("functionMillis", Double.NaN));
    figures.put("download and unpack", r -> phaseMillis(r, "download and unpack"));
    figures.put("upload", r -> phaseMillis(r, "upload"));
    figures.put("function's CPU", r -> r.getDouble("functionCpuSeconds") * 1000);
    String separator = " ";
    for (Map.Entry<String, ToDoubleFunction<JsonObject>> figure : figures.entrySet()) {
      double[] differences = both.stream()
          .mapToDouble(run -> figure.getValue().applyAsDouble(b.get(run)) - figure.getValue().applyAsDouble(a.get(run)))
          .filter(difference -> !Double.isNaN(difference)).sorted().toArray();
      if (differences.length == 0) {
        continue;
      }
      long lower = Arrays.stream(differences).filter(d -> d < 0).count();
      double median = median(differences);
      line.append(separator).append(String.format(Locale.ROOT, "%s %+.0f ms (B lower in %d)", figure.getKey(), median, lower));
      separator = ", ";
      summary.put(figure.getKey(), new JsonObject().put("medianDifferenceMillis", median).put("bLower", lower));
    }
    System.out.println(line);
    return summary;
  }

  private static double medianOf(List<JsonObject> runs, ToDoubleFunction<JsonObject> value) {
    return median(runs.stream().mapToDouble(value).sorted().toArray());
  }

  /** A phase's milliseconds from the function's log line ("download 12 ms, download and unpack 30 ms, upload 40 ms"). */
  private static double phaseMillis(JsonObject run, String phase) {
    for (String part : run.getString("phases").split(", ")) {
      if (part.startsWith(phase + " ") && part.endsWith(" ms")) {
        String number = part.substring(phase.length() + 1, part.length() - 3);
        if (number.chars().allMatch(Character::isDigit)) {
          return Double.parseDouble(number);
        }
      }
    }
    return Double.NaN;
  }

  /** The ratios of the runs after the first {@code skip}, in ascending order. */
  private static double[] ratios(JsonArray results, int skip, ToDoubleFunction<JsonObject> ratio) {
    return results.stream().skip(skip).map(JsonObject.class::cast).mapToDouble(ratio).sorted().toArray();
  }

  private static double median(double[] sorted) {
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }
}
