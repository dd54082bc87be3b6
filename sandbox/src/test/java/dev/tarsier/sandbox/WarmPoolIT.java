package dev.tarsier.sandbox;

import static dev.tarsier.sandbox.PoolHarness.action;
import static dev.tarsier.sandbox.PoolHarness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pool with real runc containers: reuse, concurrency, keep-alive, the memory budget, freezing, pre-warm. */
class WarmPoolIT {
  private PoolHarness harness;

  @BeforeEach
  void start() throws Exception {
    RealContainers.require();
    harness = PoolHarness.start(config -> config.withMemoryBudgetMb(512).withAcquireTimeout(Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
      assertThat(harness.leftContainers()).as("containers left after the pool closed").isEmpty();
    }
  }

  @Test
  void aColdStartReportsItsBreakdownAndTheNextInvocationReusesTheSandboxWarm() throws Exception {
    SandboxSpec spec = harness.misbehave("fn-hello", 256, Duration.ofSeconds(10));

    RunResult cold = harness.invoke(spec, action("hello"));
    RunResult warm = harness.invoke(spec, action("hello"));

    assertThat(cold.outcome()).isInstanceOf(Outcome.Succeeded.class);
    assertThat(cold.cold()).isTrue();
    assertThat(cold.createNanos()).isPositive();
    assertThat(cold.initDurationNanos()).isPositive();
    assertThat(cold.durationNanos()).isPositive();
    assertThat(cold.queueNanos()).isNotNegative();
    assertThat(warm.outcome()).isInstanceOf(Outcome.Succeeded.class);
    assertThat(warm.cold()).isFalse();
    assertThat(warm.initDurationNanos()).isEqualTo(-1);
    assertThat(warm.createNanos()).isZero();
    assertThat(warm.sandboxId()).isEqualTo(cold.sandboxId());
    assertThat(harness.containers()).containsExactly(cold.sandboxId());
  }

  @Test
  void concurrentInvocationsGetASandboxEach() throws Exception {
    SandboxSpec spec = harness.misbehave("fn-concurrent", 128, Duration.ofSeconds(10));

    List<Lease> leases = List.of(await(harness.pool.acquire(spec)), await(harness.pool.acquire(spec)), await(harness.pool.acquire(spec)));
    List<RunResult> results = await(Future.all(leases.stream()
        .map(lease -> lease.run(PoolHarness.invocation(action("hello")))).toList())).list();

    assertThat(results).extracting(RunResult::sandboxId).doesNotHaveDuplicates();
    assertThat(results).allMatch(result -> result.outcome() instanceof Outcome.Succeeded && result.cold());
    assertThat(harness.containers()).hasSize(3);
  }

  @Test
  void anIdleSandboxIsRemovedWhenItsKeepAliveRunsOut() throws Exception {
    RunResult result = harness.invoke(harness.misbehave("fn-expiring", 256, Duration.ofSeconds(10)), action("hello"));

    await(harness.pool.reap(harness.clock.advance(Duration.ofMinutes(10))));
    await(harness.pool.removal(result.sandboxId()));

    assertThat(harness.containers()).isEmpty();
    assertThat(Files.exists(PoolHarness.cgroup("memory", result.sandboxId()))).isFalse();
  }

  @Test
  void theLeastRecentlyUsedIdleSandboxIsEvictedWhenTheBudgetIsFull() throws Exception {
    RunResult a = harness.invoke(harness.misbehave("fn-a", 256, Duration.ofSeconds(10)), action("hello"));
    harness.clock.advance(Duration.ofMillis(100));
    RunResult b = harness.invoke(harness.misbehave("fn-b", 256, Duration.ofSeconds(10)), action("hello"));
    harness.clock.advance(Duration.ofMillis(100));

    RunResult c = harness.invoke(harness.misbehave("fn-c", 256, Duration.ofSeconds(10)), action("hello"));

    await(harness.pool.removal(a.sandboxId()));
    assertThat(harness.containers()).containsExactlyInAnyOrder(b.sandboxId(), c.sandboxId());
  }

  @Test
  void aCallerWaitsForMemoryUntilABusySandboxIsReleased() throws Exception {
    Lease held = await(harness.pool.acquire(harness.misbehave("fn-big", 512, Duration.ofSeconds(10))));

    Future<Lease> waiting = harness.pool.acquire(harness.misbehave("fn-small", 128, Duration.ofSeconds(10)));
    assertThat(await(harness.pool.states())).containsEntry("queued", 1);
    await(held.run(PoolHarness.invocation(action("hello"))));

    Lease lease = await(waiting);
    assertThat(await(lease.run(PoolHarness.invocation(action("hello")))).outcome()).isInstanceOf(Outcome.Succeeded.class);
    await(harness.pool.removal(held.sandboxId()));
  }

  @Test
  void aCallerThatGetsNoMemoryInTimeFailsWithThePoolsState() throws Exception {
    await(harness.pool.acquire(harness.misbehave("fn-big", 512, Duration.ofSeconds(10))));
    Future<Lease> waiting = harness.pool.acquire(harness.misbehave("fn-small", 128, Duration.ofSeconds(10)));
    assertThat(await(harness.pool.states())).containsEntry("queued", 1);

    await(harness.pool.reap(harness.clock.advance(Duration.ofSeconds(5))));

    assertThatThrownBy(() -> await(waiting)).isInstanceOf(ExecutionException.class).cause()
        .isInstanceOf(SandboxFailure.PoolExhausted.class)
        .hasMessage("no sandbox for fn-small within 5000 ms (idle=0, busy=1, starting=0, queued=1, memory=512/512 MB)");
  }

  @Test
  void anIdleSandboxIsFrozenAfterAWhileAndThawedForItsNextInvocation() throws Exception {
    SandboxSpec spec = harness.misbehave("fn-freezing", 256, Duration.ofSeconds(10));
    RunResult first = harness.invoke(spec, action("hello"));

    await(harness.pool.reap(harness.clock.advance(Duration.ofSeconds(2))));
    await(harness.pool.freezerSettled(first.sandboxId()));
    assertThat(PoolHarness.cgroupFile("freezer", first.sandboxId(), "freezer.state")).isIn("FROZEN", "FREEZING");

    RunResult thawed = harness.invoke(spec, action("hello"));
    assertThat(thawed.outcome()).isInstanceOf(Outcome.Succeeded.class);
    assertThat(thawed.sandboxId()).isEqualTo(first.sandboxId());
    assertThat(PoolHarness.cgroupFile("freezer", first.sandboxId(), "freezer.state")).isEqualTo("THAWED");
    System.out.printf("thaw + warm invoke: queue (thaw) %.3f ms, handler %.3f ms%n", thawed.queueNanos() / 1e6, thawed.durationNanos() / 1e6);
  }

  @Test
  void prewarmedSandboxesAreReadyBeforeTheFirstCallAndServeItWarm() throws Exception {
    SandboxSpec spec = harness.misbehave("fn-provisioned", 128, Duration.ofSeconds(10));

    await(harness.pool.prewarm(spec, 2));
    assertThat(await(harness.pool.states())).containsEntry("idle", 2);
    RunResult result = harness.invoke(spec, action("hello"));

    assertThat(result.cold()).isFalse();
    assertThat(result.initDurationNanos()).isEqualTo(-1);
    assertThat(harness.containers()).hasSize(2);
  }

  @Test
  void aRetiredFunctionsIdleSandboxIsRemoved() throws Exception {
    SandboxSpec spec = harness.misbehave("fn-retired", 128, Duration.ofSeconds(10));
    RunResult result = harness.invoke(spec, action("hello"));

    await(harness.pool.retire(spec.poolKey()));
    await(harness.pool.removal(result.sandboxId()));

    assertThat(harness.containers()).isEmpty();
  }
}
