package dev.tarsier.sandbox;

import static dev.tarsier.sandbox.PoolHarness.action;
import static dev.tarsier.sandbox.PoolHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Runtime API under the faults a real runtime cannot be made to show on cue: the real pool and
 * sandboxes, with scripted runtimes in place of processes. No invocation is ever swallowed.
 */
class RuntimeApiFaultsTest {
  private Vertx vertx;
  private ScriptedIsolation isolation;
  private WarmPool pool;
  private SandboxSpec spec;

  @TempDir
  private Path dataDir;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    isolation = new ScriptedIsolation(vertx);
    SandboxConfig config = SandboxConfig.defaults(dataDir);
    pool = PoolSetup.withIsolation(vertx, config, new TestClock(PoolHarness.START), isolation,
        Runtimes.prepare(dataDir.resolve("runtimes")));
    spec = new SandboxSpec("fn-scripted", "arn:aws:lambda:us-east-1:000000000000:function:fn-scripted", "fn-scripted",
        RuntimeId.JAVA25, "example.Handler", dataDir, 128, Duration.ofSeconds(30), 512, Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    await(pool.close());
    await(vertx.close());
  }

  @Test
  void aRuntimeThatDropsItsRequestForAnEventIsDestroyedAndTheNextCallerGetsANewSandbox() throws Exception {
    Lease first = await(pool.acquire(spec));
    ScriptedIsolation.Runtime dropping = launched();
    Future<RunResult> firstRun = first.run(PoolHarness.invocation(action("one")));
    answerNext(dropping);
    await(firstRun);

    dropping.dropWaiting();
    await(pool.removal(first.sandboxId()));
    Lease second = await(pool.acquire(spec));

    assertThat(second.sandboxId()).isNotEqualTo(first.sandboxId());
    assertThat(second.cold()).isTrue();
  }

  @Test
  void anEventWhoseRuntimeDroppedItsRequestBeforeTheHandOverRunsInAnotherSandbox() throws Exception {
    Lease lease = await(pool.acquire(spec));
    ScriptedIsolation.Runtime dropping = launched();

    dropping.dropWaiting();
    await(pool.removal(lease.sandboxId()));
    Future<RunResult> result = lease.run(PoolHarness.invocation(action("moved")));
    ScriptedIsolation.Runtime other = launched();
    answerNext(other);

    RunResult ran = await(result);
    assertThat(ran.outcome()).isInstanceOf(Outcome.Succeeded.class);
    assertThat(ran.sandboxId()).isNotEqualTo(lease.sandboxId());
    assertThat(dropping.event()).as("the dropped runtime never got the event").isCompletedExceptionally();
  }

  @Test
  void aRuntimeThatExitsBeforeTakingTheEventGivesItToAnotherSandbox() throws Exception {
    Lease lease = await(pool.acquire(spec));
    ScriptedIsolation.Runtime exiting = launched();

    exiting.exit(1);
    await(pool.removal(lease.sandboxId()));
    Future<RunResult> result = lease.run(PoolHarness.invocation(action("moved")));
    answerNext(launched());

    assertThat(await(result).outcome()).isInstanceOf(Outcome.Succeeded.class);
  }

  @Test
  void aRuntimeThatExitsWhileRunningTheEventIsReportedAsACrash() throws Exception {
    Lease lease = await(pool.acquire(spec));
    ScriptedIsolation.Runtime runtime = launched();
    Future<RunResult> result = lease.run(PoolHarness.invocation(action("crash")));
    runtime.event().get(30, TimeUnit.SECONDS);

    runtime.exit(139);

    assertThat(await(result).outcome()).isEqualTo(new Outcome.Crashed("Runtime exited with error: signal: segmentation fault"));
    await(pool.removal(lease.sandboxId()));
  }

  @Test
  void aRuntimeThatAsksForTheNextEventWithoutAnsweringIsReportedAsACrash() throws Exception {
    Lease lease = await(pool.acquire(spec));
    ScriptedIsolation.Runtime runtime = launched();
    Future<RunResult> result = lease.run(PoolHarness.invocation(action("forgotten")));
    ScriptedIsolation.Runtime.Event event = runtime.event().get(30, TimeUnit.SECONDS);

    await(runtime.next());

    assertThat(await(result).outcome()).isEqualTo(new Outcome.Crashed(
        "Runtime asked for its next event without answering RequestId: " + event.requestId()));
    await(pool.removal(lease.sandboxId()));
  }

  @Test
  void aRuntimeThatAsksForTwoEventsAtOnceIsDestroyed() throws Exception {
    Lease lease = await(pool.acquire(spec));
    ScriptedIsolation.Runtime runtime = launched();
    Future<RunResult> first = lease.run(PoolHarness.invocation(action("one")));
    answerNext(runtime);
    await(first);

    await(runtime.next());

    await(pool.removal(lease.sandboxId()));
    assertThat(await(pool.states())).containsEntry("idle", 0).containsEntry("busy", 0);
  }

  @Test
  void aSandboxDestroyedWhileItsRuntimeIsLaunchingIsRemovedOnceTheLaunchReturns() throws Exception {
    isolation.launchGate = new java.util.concurrent.CountDownLatch(1);
    Future<Lease> acquiring = pool.acquire(spec);
    assertThat(await(pool.states())).containsEntry("starting", 1);

    Future<Void> closed = pool.close();
    isolation.launchGate.countDown();

    closed.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(launched().hasExited()).as("the runtime launched after the teardown began was killed").isTrue();
    assertThat(acquiring.failed()).isTrue();
  }

  @Test
  void aRunInFlightWhenThePoolClosesEndsAsACrashInsteadOfHanging() throws Exception {
    Lease lease = await(pool.acquire(spec));
    ScriptedIsolation.Runtime runtime = launched();
    Future<RunResult> result = lease.run(PoolHarness.invocation(action("slow")));
    runtime.event().get(30, TimeUnit.SECONDS);

    await(pool.close());

    assertThat(result.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).outcome())
        .isEqualTo(new Outcome.Crashed("Runtime stopped: its sandbox was destroyed while it ran the event"));
  }

  private ScriptedIsolation.Runtime launched() throws InterruptedException {
    ScriptedIsolation.Runtime runtime = isolation.launched.poll(30, TimeUnit.SECONDS);
    assertThat(runtime).as("a runtime was launched").isNotNull();
    return runtime;
  }

  /** Waits for the runtime's event, answers it, and asks for the next one, as a real runtime does. */
  private static void answerNext(ScriptedIsolation.Runtime runtime) throws Exception {
    ScriptedIsolation.Runtime.Event event = runtime.event().get(30, TimeUnit.SECONDS);
    await(runtime.respond(event.requestId(), "{\"ok\":true}"));
    await(runtime.next());
  }
}
