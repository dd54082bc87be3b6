package dev.tarsier.invoker.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class InvocationLogTest {

  @Test
  void formatsAColdStartAsLambdaDoes() {
    String log = InvocationLog.format("id-1", "hello\n", new InvocationLog.Report("id-1", 3.891, 128, 9, 430.474, null, null));
    assertThat(log).isEqualTo("START RequestId: id-1 Version: $LATEST\nhello\nEND RequestId: id-1\n"
        + "REPORT RequestId: id-1\tDuration: 3.89 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 9 MB\t"
        + "Init Duration: 430.47 ms\t\n");
  }

  @Test
  void leavesInitDurationOutWhenWarmAndAddsTheStatus() {
    String line = InvocationLog.reportLine(new InvocationLog.Report("id-2", 3000.0, 1024, 64, -1, "timeout", null));
    assertThat(line).isEqualTo("REPORT RequestId: id-2\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 1024 MB\t"
        + "Max Memory Used: 64 MB\tStatus: timeout\t");
  }

  @Test
  void billsDurationRoundedUpToTheMillisecond() {
    assertThat(new InvocationLog.Report("x", 12.01, 128, 1, -1, null, null).billedDurationMs()).isEqualTo(13);
    assertThat(new InvocationLog.Report("x", 12.0, 128, 1, -1, null, null).billedDurationMs()).isEqualTo(12);
  }

  @Test
  void tailKeepsTheLastFourKilobytes() {
    String log = "x".repeat(10_000) + "REPORT end";
    byte[] tail = Base64.getDecoder().decode(InvocationLog.tail(log));
    assertThat(tail).hasSize(4096);
    assertThat(new String(tail, StandardCharsets.UTF_8)).endsWith("REPORT end");
  }
}
