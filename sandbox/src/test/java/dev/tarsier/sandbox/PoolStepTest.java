package dev.tarsier.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarsier.sandbox.PoolEffect.Destroy;
import dev.tarsier.sandbox.PoolEffect.FailWaiter;
import dev.tarsier.sandbox.PoolEffect.Freeze;
import dev.tarsier.sandbox.PoolEffect.HandOver;
import dev.tarsier.sandbox.PoolEffect.StartSandbox;
import dev.tarsier.sandbox.PoolEvent.AcquireRequested;
import dev.tarsier.sandbox.PoolEvent.ClockTicked;
import dev.tarsier.sandbox.PoolEvent.KeyRetired;
import dev.tarsier.sandbox.PoolEvent.PoolClosed;
import dev.tarsier.sandbox.PoolEvent.PrewarmSet;
import dev.tarsier.sandbox.PoolEvent.RunEnded;
import dev.tarsier.sandbox.PoolEvent.SandboxExited;
import dev.tarsier.sandbox.PoolEvent.SandboxFailedToStart;
import dev.tarsier.sandbox.PoolEvent.SandboxRemoved;
import dev.tarsier.sandbox.PoolEvent.SandboxStarted;
import dev.tarsier.sandbox.PoolState.Phase;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The pool's rules, one event at a time: no threads, no processes, no clock but the one passed in. */
class PoolStepTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final PoolState.Limits LIMITS =
      new PoolState.Limits(1024, Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofSeconds(5), "p", Duration.ofSeconds(1));

  private PoolState state = PoolState.empty(LIMITS);
  private List<PoolEffect> effects = List.of();

  @Test
  void startsASandboxForTheFirstCaller() {
    step(new AcquireRequested(1, spec("fn-a", 256), T0));

    assertThat(effects).containsExactly(new StartSandbox("p-1", spec("fn-a", 256), InitializationType.ON_DEMAND));
    assertThat(state.slots().get("p-1").phase()).isEqualTo(Phase.STARTING);
    assertThat(state.queue()).hasSize(1);
  }

  @Test
  void handsAStartedSandboxToItsCallerAsCold() {
    step(new AcquireRequested(1, spec("fn-a", 256), T0));
    step(new SandboxStarted("p-1", T0));

    assertThat(effects).containsExactly(new HandOver(1, "p-1", true, false));
    assertThat(state.slots().get("p-1").phase()).isEqualTo(Phase.BUSY);
    assertThat(state.queue()).isEmpty();
  }

  @Test
  void reusesTheMostRecentlyUsedIdleSandboxOfTheSameFunction() {
    step(new AcquireRequested(1, spec("fn-a", 256), T0));
    step(new AcquireRequested(2, spec("fn-a", 256), T0));
    step(new SandboxStarted("p-1", T0));
    step(new SandboxStarted("p-2", T0));
    step(new RunEnded("p-2", true, T0.plusMillis(10)));
    step(new RunEnded("p-1", true, T0.plusMillis(20)));

    step(new AcquireRequested(9, spec("fn-a", 256), T0.plusMillis(30)));

    assertThat(effects).containsExactly(new HandOver(9, "p-1", false, false));
  }

  @Test
  void concurrentCallersGetOneNewSandboxEach() {
    step(new AcquireRequested(1, spec("fn-a", 128), T0));
    step(new AcquireRequested(2, spec("fn-a", 128), T0));
    step(new AcquireRequested(3, spec("fn-a", 128), T0));

    assertThat(state.count(Phase.STARTING)).isEqualTo(3);
    step(new SandboxStarted("p-2", T0));
    assertThat(effects).containsExactly(new HandOver(1, "p-2", true, false));
  }

  @Test
  void doesNotStartASandboxForAnotherFunctionsIdleOne() {
    idle("fn-a", 256, T0);

    step(new AcquireRequested(9, spec("fn-b", 256), T0));

    assertThat(effects).containsExactly(new StartSandbox("p-2", spec("fn-b", 256), InitializationType.ON_DEMAND));
  }

  @Test
  void evictsTheLeastRecentlyUsedIdleSandboxWhenTheBudgetIsFull() {
    idle("fn-a", 512, T0);
    idle("fn-b", 512, T0.plusMillis(100));

    step(new AcquireRequested(9, spec("fn-c", 512), T0.plusMillis(200)));
    assertThat(effects).as("memory is freed before the new sandbox starts")
        .containsExactly(new Destroy("p-1", "evicted, least recently used, to make room for 512 MB"));

    step(new SandboxRemoved("p-1", T0.plusMillis(200)));
    assertThat(effects).containsExactly(new StartSandbox("p-3", spec("fn-c", 512), InitializationType.ON_DEMAND));
  }

  @Test
  void aCallerWaitsForABusySandboxAndFailsWithThePoolsStateAfterTheTimeout() {
    busy("fn-a", 1024);

    step(new AcquireRequested(9, spec("fn-b", 256), T0));
    assertThat(effects).isEmpty();

    step(new ClockTicked(T0.plusSeconds(2)));
    assertThat(effects).singleElement().isInstanceOfSatisfying(FailWaiter.class, fail -> {
      assertThat(fail.waiterId()).isEqualTo(9);
      assertThat(fail.failure()).isInstanceOf(SandboxFailure.PoolExhausted.class).hasMessage(
          "no sandbox for fn-b within 2000 ms (idle=0, busy=1, starting=0, queued=1, memory=1024/1024 MB)");
    });
  }

  @Test
  void aReleasedSandboxGoesToTheCallerWaitingForItsFunction() {
    busy("fn-a", 1024);
    step(new AcquireRequested(9, spec("fn-a", 1024), T0));

    step(new RunEnded("p-1", true, T0.plusMillis(5)));

    assertThat(effects).containsExactly(new HandOver(9, "p-1", false, false));
  }

  @Test
  void aReleasedSandboxOfAnotherFunctionIsEvictedForABlockedCaller() {
    busy("fn-a", 1024);
    step(new AcquireRequested(9, spec("fn-b", 512), T0));

    step(new RunEnded("p-1", true, T0.plusMillis(5)));
    assertThat(effects).extracting(effect -> effect.getClass().getSimpleName()).containsExactly("Destroy");

    step(new SandboxRemoved("p-1", T0.plusMillis(6)));
    assertThat(effects).containsExactly(new StartSandbox("p-2", spec("fn-b", 512), InitializationType.ON_DEMAND));
  }

  @Test
  void aBlockedBigCallerIsNotOvertakenBySmallOnes() {
    busy("fn-a", 768);
    step(new AcquireRequested(8, spec("fn-big", 512), T0));
    step(new AcquireRequested(9, spec("fn-small", 128), T0));

    assertThat(effects).as("128 MB would fit, but fn-big asked first").isEmpty();
  }

  @Test
  void aRunThatEndedTheRuntimeDestroysTheSandbox() {
    busy("fn-a", 256);

    step(new RunEnded("p-1", false, T0));

    assertThat(effects).containsExactly(new Destroy("p-1", "its run ended the runtime"));
  }

  @Test
  void anIdleSandboxIsDestroyedAfterItsKeepAlive() {
    idle("fn-a", 256, T0);

    step(new ClockTicked(T0.plus(Duration.ofMinutes(10)).minusMillis(1)));
    assertThat(effects).extracting(effect -> effect.getClass().getSimpleName()).containsExactly("Freeze");

    step(new ClockTicked(T0.plus(Duration.ofMinutes(10))));
    assertThat(effects).containsExactly(new Destroy("p-1", "idle for 600 s"));
  }

  @Test
  void aSpecsOwnKeepAliveWinsOverThePools() {
    idle(spec("fn-a", 256).withKeepAlive(Duration.ofSeconds(30)), T0);

    step(new ClockTicked(T0.plusSeconds(30)));

    assertThat(effects).containsExactly(new Destroy("p-1", "idle for 30 s"));
  }

  @Test
  void anIdleSandboxIsFrozenAfterTheFreezeDelayAndThawedWhenHandedOver() {
    idle("fn-a", 256, T0);

    step(new ClockTicked(T0.plusSeconds(1)));
    assertThat(effects).containsExactly(new Freeze("p-1"));
    assertThat(state.slots().get("p-1").phase()).isEqualTo(Phase.PAUSED);

    step(new AcquireRequested(9, spec("fn-a", 256), T0.plusSeconds(2)));
    assertThat(effects).containsExactly(new HandOver(9, "p-1", false, true));
  }

  @Test
  void anInitFailureIsAnsweredAgainWithoutANewStartUntilTheHoldEnds() {
    step(new AcquireRequested(1, spec("fn-a", 256), T0));
    SandboxFailure.InitFailed failure = initFailure();
    step(new SandboxFailedToStart("p-1", failure, T0));
    assertThat(effects).contains(new FailWaiter(1, failure));

    step(new AcquireRequested(2, spec("fn-a", 256), T0.plusSeconds(4)));
    assertThat(effects).singleElement().isInstanceOfSatisfying(FailWaiter.class, fail -> {
      SandboxFailure.InitFailed repeated = (SandboxFailure.InitFailed) fail.failure();
      assertThat(repeated.outcome()).isEqualTo(failure.outcome());
      assertThat(repeated.log()).contains("is not retried before 2026-01-01T00:00:05Z unless its code or configuration changes");
    });

    step(new AcquireRequested(3, spec("fn-a", 256), T0.plusSeconds(5)));
    assertThat(effects).containsExactly(new StartSandbox("p-2", spec("fn-a", 256), InitializationType.ON_DEMAND));
  }

  @Test
  void eachFurtherInitFailureInARowDoublesTheHold() {
    step(new AcquireRequested(1, spec("fn-a", 256), T0));
    step(new SandboxFailedToStart("p-1", initFailure(), T0));
    step(new AcquireRequested(2, spec("fn-a", 256), T0.plusSeconds(5)));
    step(new SandboxFailedToStart("p-2", initFailure(), T0.plusSeconds(5)));

    assertThat(state.initFailures().get(spec("fn-a", 256).poolKey()).until()).isEqualTo(T0.plusSeconds(15));
  }

  @Test
  void anInitFailureFailsEveryCallerWaitingForThatFunction() {
    step(new AcquireRequested(1, spec("fn-a", 256), T0));
    step(new AcquireRequested(2, spec("fn-a", 256), T0));

    step(new SandboxFailedToStart("p-1", initFailure(), T0));

    assertThat(effects).filteredOn(FailWaiter.class::isInstance).extracting(effect -> ((FailWaiter) effect).waiterId())
        .containsExactly(1L, 2L);
  }

  @Test
  void aNewConfigurationIsStartedAtOnceDespiteTheOldOnesInitFailure() {
    step(new AcquireRequested(1, spec("fn-a", 256), T0));
    step(new SandboxFailedToStart("p-1", initFailure(), T0));

    step(new AcquireRequested(2, spec("fn-a", 512), T0.plusSeconds(1)));

    assertThat(effects).containsExactly(new StartSandbox("p-2", spec("fn-a", 512), InitializationType.ON_DEMAND));
  }

  @Test
  void prewarmStartsTheCountAndKeepsThemPastTheirKeepAlive() {
    step(new PrewarmSet(spec("fn-a", 256), 2, T0));
    assertThat(effects).containsExactly(new StartSandbox("p-1", spec("fn-a", 256), InitializationType.PROVISIONED_CONCURRENCY),
        new StartSandbox("p-2", spec("fn-a", 256), InitializationType.PROVISIONED_CONCURRENCY));
    step(new SandboxStarted("p-1", T0));
    step(new SandboxStarted("p-2", T0));

    step(new ClockTicked(T0.plus(Duration.ofHours(1))));

    assertThat(effects).as("frozen, not destroyed").allMatch(Freeze.class::isInstance)
        .containsExactlyInAnyOrder(new Freeze("p-1"), new Freeze("p-2"));
  }

  @Test
  void aPrewarmedSandboxThatDiesIsReplaced() {
    step(new PrewarmSet(spec("fn-a", 256), 1, T0));
    step(new SandboxStarted("p-1", T0));

    step(new SandboxExited("p-1", T0));

    assertThat(effects).containsExactly(new Destroy("p-1", "its runtime exited"),
        new StartSandbox("p-2", spec("fn-a", 256), InitializationType.PROVISIONED_CONCURRENCY));
  }

  @Test
  void callersOfAPrewarmedFunctionWaitForItsStartingSandboxes() {
    step(new PrewarmSet(spec("fn-a", 256), 1, T0));

    step(new AcquireRequested(9, spec("fn-a", 256), T0));

    assertThat(effects).isEmpty();
  }

  @Test
  void anIdleOnDemandSandboxDoesNotCountTowardAPrewarmTarget() {
    idle("fn-a", 256, T0);

    step(new PrewarmSet(spec("fn-a", 256), 1, T0));

    assertThat(effects).containsExactly(new StartSandbox("p-2", spec("fn-a", 256), InitializationType.PROVISIONED_CONCURRENCY));
  }

  @Test
  void callersGetTheProvisionedSandboxBeforeAMoreRecentlyUsedOnDemandOne() {
    busy("fn-a", 256);
    step(new PrewarmSet(spec("fn-a", 256), 1, T0));
    step(new SandboxStarted("p-2", T0));
    step(new RunEnded("p-1", true, T0.plusSeconds(2)));

    step(new AcquireRequested(9, spec("fn-a", 256), T0.plusSeconds(3)));

    assertThat(effects).filteredOn(HandOver.class::isInstance).containsExactly(new HandOver(9, "p-2", false, true));
  }

  @Test
  void onDemandSandboxesBesideAPrewarmTargetExpireAndTheProvisionedOneStays() {
    step(new PrewarmSet(spec("fn-a", 256), 1, T0));
    step(new SandboxStarted("p-1", T0));
    step(new AcquireRequested(1, spec("fn-a", 256), T0));
    step(new AcquireRequested(2, spec("fn-a", 256), T0));
    step(new SandboxStarted("p-2", T0));
    step(new RunEnded("p-1", true, T0));
    step(new RunEnded("p-2", true, T0));

    step(new ClockTicked(T0.plus(Duration.ofHours(1))));

    assertThat(effects).contains(new Destroy("p-2", "idle for 600 s")).doesNotContain(new Destroy("p-1", "idle for 600 s"));
    assertThat(effects).noneMatch(StartSandbox.class::isInstance);
  }

  @Test
  void aLoweredPrewarmTargetLetsTheExtraProvisionedSandboxesIdleOut() {
    step(new PrewarmSet(spec("fn-a", 256), 2, T0));
    step(new SandboxStarted("p-1", T0));
    step(new SandboxStarted("p-2", T0));

    step(new PrewarmSet(spec("fn-a", 256), 1, T0));
    step(new ClockTicked(T0.plus(Duration.ofHours(1))));

    assertThat(effects).as("the newer goes; the older is kept, not replaced by a cold one").filteredOn(Destroy.class::isInstance)
        .containsExactly(new Destroy("p-2", "idle for 600 s"));
    assertThat(effects).noneMatch(StartSandbox.class::isInstance);
  }

  @Test
  void aPrewarmedSandboxWhoseInitFailsIsStartedAgainOnlyWhenTheHoldEnds() {
    step(new PrewarmSet(spec("fn-a", 256), 1, T0));
    step(new SandboxFailedToStart("p-1", initFailure(), T0));
    assertThat(effects).as("no start while the failure is held").noneMatch(StartSandbox.class::isInstance);
    step(new SandboxRemoved("p-1", T0));
    assertThat(effects).isEmpty();
    assertThat(state.nextWake(T0)).isEqualTo(T0.plusSeconds(5));

    step(new ClockTicked(T0.plusSeconds(5)));

    assertThat(effects).containsExactly(new StartSandbox("p-2", spec("fn-a", 256), InitializationType.PROVISIONED_CONCURRENCY));
  }

  @Test
  void aPrewarmTargetEvictsAnIdleSandboxOfAnotherFunctionToMakeRoom() {
    idle("fn-b", 1024, T0);

    step(new PrewarmSet(spec("fn-a", 256), 1, T0.plusSeconds(1)));
    assertThat(effects).filteredOn(Destroy.class::isInstance).hasSize(1);
    step(new SandboxRemoved("p-1", T0.plusSeconds(1)));

    assertThat(effects).containsExactly(new StartSandbox("p-2", spec("fn-a", 256), InitializationType.PROVISIONED_CONCURRENCY));
  }

  /** Who asks for memory that only a busy sandbox could give up: a pre-warm target, or a caller waiting. */
  enum Claimant {
    PREWARM_TARGET, WAITER;

    PoolEvent claim(SandboxSpec spec, Instant at) {
      return this == PREWARM_TARGET ? new PrewarmSet(spec, 1, at) : new AcquireRequested(9, spec, at);
    }
  }

  @ParameterizedTest(name = "a {0} that cannot fit yet evicts nothing")
  @EnumSource(Claimant.class)
  void aClaimThatCannotFitYetEvictsNothing(Claimant claimant) {
    busy("fn-b", 768);
    idle("fn-c", 256, T0);

    step(claimant.claim(spec("fn-a", 512), T0.plusSeconds(1)));

    assertThat(effects).as("evicting fn-c would not make room while fn-b is busy").noneMatch(Destroy.class::isInstance);
    step(new RunEnded("p-1", true, T0.plusSeconds(2)));
    assertThat(effects).as("now it does: fn-b and fn-c go, least recently used first")
        .containsExactly(new Destroy("p-2", "evicted, least recently used, to make room for 512 MB"),
            new Destroy("p-1", "evicted, least recently used, to make room for 512 MB"));
  }

  @Test
  void retiringAFunctionDestroysItsIdleSandboxesNowAndItsBusyOnesWhenReleased() {
    busy("fn-a", 256);
    idle("fn-a", 256, T0);

    step(new KeyRetired(spec("fn-a", 256).poolKey(), T0));
    assertThat(effects).containsExactly(new Destroy("p-2", "its function changed"));

    step(new RunEnded("p-1", true, T0));
    assertThat(effects).containsExactly(new Destroy("p-1", "its function changed"));
  }

  @Test
  void closingFailsWaitersAndDestroysEverySandbox() {
    busy("fn-a", 1024);
    step(new AcquireRequested(9, spec("fn-b", 256), T0));

    step(new PoolClosed(T0));

    assertThat(effects).hasSize(2);
    assertThat(effects.get(0)).isInstanceOfSatisfying(FailWaiter.class,
        fail -> assertThat(fail.failure()).hasMessage("the pool is closed"));
    assertThat(effects.get(1)).isEqualTo(new Destroy("p-1", "the pool is closing"));
  }

  @Test
  void aFunctionBiggerThanTheWholeBudgetFailsAtOnce() {
    step(new AcquireRequested(9, spec("fn-huge", 2048), T0));

    assertThat(effects).singleElement().isInstanceOfSatisfying(FailWaiter.class, fail -> assertThat(fail.failure())
        .hasMessage("no sandbox for fn-huge: it needs 2048 MB and the pool's whole memory budget is 1024 MB"));
  }

  @Test
  void aSandboxReportedStartedTwiceIsDestroyed() {
    idle("fn-a", 256, T0);

    step(new SandboxStarted("p-1", T0));

    assertThat(effects).containsExactly(new Destroy("p-1", "sandbox p-1 reported started while idle"));
  }

  @Test
  void anIdleSandboxWhoseRuntimeExitedIsDestroyedAndItsMemoryCountedUntilRemoved() {
    idle("fn-a", 1024, T0);

    step(new SandboxExited("p-1", T0));
    step(new AcquireRequested(9, spec("fn-b", 256), T0));
    assertThat(effects).isEmpty();

    step(new SandboxRemoved("p-1", T0));
    assertThat(effects).containsExactly(new StartSandbox("p-2", spec("fn-b", 256), InitializationType.ON_DEMAND));
  }

  private void step(PoolEvent event) {
    PoolStep step = PoolStep.of(state, event);
    state = step.state();
    effects = step.effects();
  }

  /** A sandbox of {@code name} that started, ran once and became idle at {@code at}. */
  private void idle(String name, int memoryMb, Instant at) {
    idle(spec(name, memoryMb), at);
  }

  private void idle(SandboxSpec spec, Instant at) {
    long waiter = 1000 + state.nextSandbox();
    String id = "p-" + state.nextSandbox();
    step(new AcquireRequested(waiter, spec, at));
    step(new SandboxStarted(id, at));
    step(new RunEnded(id, true, at));
  }

  private void busy(String name, int memoryMb) {
    long waiter = 1000 + state.nextSandbox();
    String id = "p-" + state.nextSandbox();
    step(new AcquireRequested(waiter, spec(name, memoryMb), T0));
    step(new SandboxStarted(id, T0));
  }

  private static SandboxSpec spec(String name, int memoryMb) {
    return new SandboxSpec(name, "arn:aws:lambda:us-east-1:000000000000:function:" + name, name + "|" + memoryMb,
        RuntimeId.JAVA25, "example.Hello::handleRequest", Path.of("/code"), memoryMb, Duration.ofSeconds(3), 512, Map.of());
  }

  private static SandboxFailure.InitFailed initFailure() {
    return new SandboxFailure.InitFailed(new Outcome.InitFailed("Runtime.BadFunctionCode",
        Buffer.buffer("{\"errorType\":\"java.lang.ExceptionInInitializerError\"}")), "boom\n", 1_000_000);
  }
}
