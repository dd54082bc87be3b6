package dev.tarsier.sandbox;

import static dev.tarsier.sandbox.PoolHarness.action;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The limits a runc sandbox is given, read back from its cgroups and felt from inside by a function. */
class SandboxLimitsIT {
  private static PoolHarness harness;

  @BeforeAll
  static void start() throws Exception {
    RealContainers.require();
    harness = PoolHarness.start(config -> config);
  }

  @AfterAll
  static void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void memoryIsLimitedToTheFunctionsSizeWithoutSwap() throws Exception {
    RunResult result = harness.invoke(harness.misbehave("fn-memory", 256, Duration.ofSeconds(10)), action("hello"));

    String id = result.sandboxId();
    assertThat(PoolHarness.cgroupFile("memory", id, "memory.limit_in_bytes")).isEqualTo(Long.toString(256L << 20));
    assertThat(PoolHarness.cgroupFile("memory", id, "memory.memsw.limit_in_bytes")).isEqualTo(Long.toString(256L << 20));
    assertThat(result.maxMemoryUsedBytes()).isPositive().isLessThanOrEqualTo(256L << 20);
  }

  @Test
  void cpuWeightIsProportionalToMemoryWith1769MbAsOneFullShare() throws Exception {
    RunResult small = harness.invoke(harness.misbehave("fn-cpu-small", 128, Duration.ofSeconds(10)), action("hello"));
    RunResult full = harness.invoke(harness.misbehave("fn-cpu-full", 1769, Duration.ofSeconds(10)), action("hello"));

    assertThat(PoolHarness.cgroupFile("cpu", small.sandboxId(), "cpu.shares")).isEqualTo("74");
    assertThat(PoolHarness.cgroupFile("cpu", full.sandboxId(), "cpu.shares")).isEqualTo("1024");
  }

  @Test
  void threadsAndProcessesAreCappedByThePidsLimit() throws Exception {
    RunResult result = harness.invoke(harness.misbehave("fn-threads", 512, Duration.ofSeconds(30)), action("threads"));

    assertThat(PoolHarness.cgroupFile("pids", result.sandboxId(), "pids.max")).isEqualTo("1024");
    JsonObject answer = new JsonObject(((Outcome.Succeeded) result.outcome()).payload());
    assertThat(answer.getInteger("started")).isBetween(900, 1023);
    assertThat(answer.getString("error")).contains("unable to create native thread");
  }

  @Test
  void writingPastTheEphemeralStorageFailsInsideTheFunctionAndTheSandboxLivesOn() throws Exception {
    SandboxSpec spec = harness.misbehave("fn-tmp", 512, Duration.ofSeconds(30));

    RunResult full = harness.invoke(spec, action("fill-tmp"));
    RunResult after = harness.invoke(spec, action("hello"));

    JsonObject answer = new JsonObject(((Outcome.Succeeded) full.outcome()).payload());
    assertThat(answer.getString("error")).contains("No space left on device");
    assertThat(answer.getLong("writtenMb")).isBetween(60L, 64L);
    assertThat(after.outcome()).isInstanceOf(Outcome.Succeeded.class);
    assertThat(after.sandboxId()).isEqualTo(full.sandboxId());
  }

  @Test
  void aSandboxWhoseTmpVolumeCannotBeMadeStartsWithATmpfsInstead() throws Exception {
    try (PoolHarness broken = PoolHarness.start(config -> config)) {
      // Where the volumes would be made, a file is in the way.
      Files.writeString(broken.config.sandboxesDir().resolve("volumes"), "in the way");
      SandboxSpec spec = broken.misbehave("fn-tmp-fallback", 256, Duration.ofSeconds(30));

      RunResult full = broken.invoke(spec, action("fill-tmp"));

      JsonObject answer = new JsonObject(((Outcome.Succeeded) full.outcome()).payload());
      assertThat(answer.getString("error")).contains("No space left on device");
      assertThat(answer.getLong("writtenMb")).as("a tmpfs of the ephemeral size").isBetween(60L, 64L);
    }
  }
}
