package dev.tarsier.invoker.logs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

/**
 * The log of one invocation exactly as Lambda prints it: {@code START}, the function's own lines,
 * {@code END}, and {@code REPORT} with tab-separated fields (Init Duration on a cold start only, after
 * Max Memory Used; a {@code Status} suffix when the run did not end normally).
 */
public final class InvocationLog {
  /** Lambda's {@code LogType: Tail} returns at most the last 4 KB. */
  public static final int TAIL_BYTES = 4096;

  private InvocationLog() {}

  /**
   * The figures of a REPORT line.
   *
   * @param status     null for a normal end, else {@code timeout}, {@code oom}, {@code error}
   * @param errorType  Lambda's Error Type for a status of {@code error}, else null
   */
  public record Report(
      String requestId, double durationMs, int memorySizeMb, long maxMemoryUsedMb, double initDurationMs, String status,
      String errorType) {

    /** Billed Duration as Lambda computes it today: Duration rounded up to the whole millisecond. */
    public long billedDurationMs() {
      return (long) Math.ceil(durationMs);
    }
  }

  /** START, the function's output (ending with a newline), END and REPORT, as one text. */
  public static String format(String requestId, String functionOutput, Report report) {
    StringBuilder log = new StringBuilder();
    log.append("START RequestId: ").append(requestId).append(" Version: $LATEST\n");
    log.append(functionOutput);
    if (!functionOutput.isEmpty() && !functionOutput.endsWith("\n")) {
      log.append('\n');
    }
    log.append("END RequestId: ").append(requestId).append('\n');
    log.append(reportLine(report)).append('\n');
    return log.toString();
  }

  public static String reportLine(Report report) {
    StringBuilder line = new StringBuilder("REPORT RequestId: ").append(report.requestId())
        .append("\tDuration: ").append(String.format(Locale.ROOT, "%.2f", report.durationMs())).append(" ms")
        .append("\tBilled Duration: ").append(report.billedDurationMs()).append(" ms")
        .append("\tMemory Size: ").append(report.memorySizeMb()).append(" MB")
        .append("\tMax Memory Used: ").append(report.maxMemoryUsedMb()).append(" MB");
    if (report.initDurationMs() >= 0) {
      line.append("\tInit Duration: ").append(String.format(Locale.ROOT, "%.2f", report.initDurationMs())).append(" ms");
    }
    if (report.status() != null) {
      line.append("\tStatus: ").append(report.status());
      if (report.errorType() != null) {
        line.append("\tError Type: ").append(report.errorType());
      }
    }
    return line.append('\t').toString();
  }

  /** The line Lambda logs when a run hits its deadline. */
  public static String timeoutLine(Instant at, String requestId, int timeoutSeconds) {
    return at + " " + requestId + " Task timed out after " + String.format(Locale.ROOT, "%.2f", (double) timeoutSeconds) + " seconds\n";
  }

  /** Base64 of the last 4 KB of {@code log}, for {@code X-Amz-Log-Result}. */
  public static String tail(String log) {
    byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
    int from = Math.max(0, bytes.length - TAIL_BYTES);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
  }
}
