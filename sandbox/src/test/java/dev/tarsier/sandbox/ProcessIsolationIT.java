package dev.tarsier.sandbox;

import static dev.tarsier.sandbox.PoolHarness.action;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fallback for machines without runc or root, forced by configuration: runtimes run as plain child
 * processes, the pool says so, and the deadline is still enforced.
 */
class ProcessIsolationIT {
  private static PoolHarness harness;

  @BeforeAll
  static void start() throws Exception {
    harness = PoolHarness.start(config -> config.withIsolation(SandboxConfig.IsolationMode.PROCESS));
  }

  @AfterAll
  static void stop() throws Exception {
    if (harness != null) {
      harness.close();
      assertThat(runtimeProcesses()).as("runtime processes left after the pool closed").isEmpty();
    }
  }

  @Test
  void thePoolSaysPlainlyThatSandboxesAreNotIsolated() {
    assertThat(harness.pool.isolation()).startsWith("plain processes, NOT isolated (configured)");
  }

  @Test
  void aFunctionRunsColdThenWarmAsAPlainProcess() throws Exception {
    SandboxSpec spec = harness.misbehave("fn-process", 256, Duration.ofSeconds(10));

    RunResult cold = harness.invoke(spec, action("hello"));
    RunResult warm = harness.invoke(spec, action("hello"));

    assertThat(cold.outcome()).isInstanceOf(Outcome.Succeeded.class);
    assertThat(cold.cold()).isTrue();
    assertThat(warm.sandboxId()).isEqualTo(cold.sandboxId());
    assertThat(warm.cold()).isFalse();
    assertThat(warm.maxMemoryUsedBytes()).as("peak RSS of the runtime's process").isPositive();
    assertThat(harness.containers()).as("no runc containers").isEmpty();
  }

  @Test
  void aFunctionPastItsDeadlineIsKilledAndReportedAsTimedOut() throws Exception {
    SandboxSpec spec = harness.misbehave("fn-process-slow", 256, Duration.ofSeconds(1));

    RunResult result = harness.invoke(spec, action("sleep").put("millis", 60_000));

    assertThat(result.outcome()).isEqualTo(new Outcome.TimedOut(Duration.ofSeconds(1)));
    int idle = PoolHarness.await(harness.pool.states()).get("idle");
    assertThat(runtimeProcesses()).as("the timed-out runtime is gone when its result is given").hasSize(idle);
  }

  /** Command lines of this JVM's child processes that run a Java runtime interface client. */
  private static List<String> runtimeProcesses() {
    return ProcessHandle.current().children()
        .filter(ProcessHandle::isAlive)
        .map(child -> child.info().commandLine().orElse(""))
        .filter(command -> command.contains("AWSLambda"))
        .toList();
  }
}
