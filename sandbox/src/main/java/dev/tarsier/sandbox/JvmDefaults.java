package dev.tarsier.sandbox;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The JVM flags a Java sandbox starts with unless the function says otherwise. Lambda lets a function
 * change its JVM through {@code JAVA_TOOL_OPTIONS} (tiered compilation, garbage collector, heap), but the
 * JVM reads that variable before its command line, so any default left on the command line would win.
 * A default therefore stays only when the function's {@code JAVA_TOOL_OPTIONS} does not set the same
 * option.
 */
final class JvmDefaults {
  private static final Pattern XX = Pattern.compile("-XX:[+-]?([A-Za-z0-9_]+)(=.*)?");
  private static final Pattern GC = Pattern.compile("Use[A-Za-z0-9]*GC");
  /** {@code -XX} options that size the heap one way or another: setting any of them (or {@code -Xmx}) replaces our {@code -Xmx}. */
  private static final Set<String> HEAP = Set.of("MaxHeapSize", "MaxRAMPercentage", "MaxRAM", "MaxRAMFraction");

  private JvmDefaults() {}

  /** {@code defaults} without those that {@code javaToolOptions} (may be null) overrides, in their order. */
  static List<String> keep(List<String> defaults, String javaToolOptions) {
    if (javaToolOptions == null || javaToolOptions.isBlank()) {
      return defaults;
    }
    Set<String> overridden = Arrays.stream(javaToolOptions.trim().split("\\s+")).map(JvmDefaults::key).collect(Collectors.toSet());
    return defaults.stream().filter(option -> !overridden.contains(key(option))).toList();
  }

  /** What an option sets: any collector choice is one key, any heap bound another. */
  private static String key(String option) {
    Matcher xx = XX.matcher(option);
    if (xx.matches()) {
      String name = xx.group(1);
      if (GC.matcher(name).matches()) {
        return "gc";
      }
      return HEAP.contains(name) ? "heap" : name;
    }
    if (option.startsWith("-Xmx")) {
      return "heap";
    }
    int colon = option.indexOf(':');
    return colon > 0 ? option.substring(0, colon) : option;
  }
}
