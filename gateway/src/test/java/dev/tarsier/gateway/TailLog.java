package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/** The log an Invoke with {@code LogType: Tail} returned, and what its START and REPORT lines say. */
record TailLog(String text, String requestId, double durationMs, boolean cold) {
  /** Lambda's timestamp at the start of a Node.js log record and inside a Python one. */
  static final String ISO_TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
  private static final Pattern REPORT = Pattern.compile(
      "REPORT RequestId: (\\S+)\\tDuration: ([0-9.]+) ms\\tBilled Duration: \\d+ ms\\tMemory Size: \\d+ MB\\tMax Memory Used: \\d+ MB"
          + "(\\tInit Duration: [0-9.]+ ms)?.*\\n");

  static TailLog of(InvokeResponse response) {
    String text = new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
    Matcher report = REPORT.matcher(text);
    assertThat(report.find()).as("a REPORT line in:\n" + text).isTrue();
    String requestId = report.group(1);
    assertThat(text).as("START and END around the function's lines")
        .startsWith("START RequestId: " + requestId + " Version: $LATEST\n")
        .contains("\nEND RequestId: " + requestId + "\n");
    return new TailLog(text, requestId, Double.parseDouble(report.group(2)), report.group(3) != null);
  }

  /** What the function itself wrote: the lines between START and END. */
  String functionOutput() {
    return text.substring(text.indexOf('\n') + 1, text.indexOf("END RequestId: "));
  }
}
