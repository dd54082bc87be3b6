package dev.tarsier.sandbox;

import static dev.tarsier.sandbox.PoolHarness.action;
import static dev.tarsier.sandbox.PoolHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runtimes killed from outside ({@code kill -9} of the container's process) at each point of the Runtime
 * API: no invocation is ever swallowed. One in flight is reported as a crash; one not yet handed over
 * runs in another sandbox.
 */
class RuntimeFaultsIT {
  private PoolHarness harness;
  private SandboxSpec spec;

  @BeforeEach
  void start() throws Exception {
    RealContainers.require();
    harness = PoolHarness.start(config -> config);
    spec = harness.misbehave("fn-faults", 256, Duration.ofSeconds(60));
  }

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
      assertThat(harness.leftContainers()).isEmpty();
    }
  }

  @Test
  void aRuntimeKilledWhileWaitingForAnEventIsReplacedByANewSandbox() throws Exception {
    RunResult first = harness.invoke(spec, action("hello"));

    harness.killRuntime(first.sandboxId());
    await(harness.pool.removal(first.sandboxId()));
    RunResult next = harness.invoke(spec, action("hello"));

    assertThat(next.outcome()).isInstanceOf(Outcome.Succeeded.class);
    assertThat(next.sandboxId()).isNotEqualTo(first.sandboxId());
    assertThat(next.cold()).isTrue();
    assertThat(harness.containers()).containsExactly(next.sandboxId());
  }

  @Test
  void anEventWhoseSandboxDiedBeforeHandingItOverRunsInAnotherSandbox() throws Exception {
    RunResult first = harness.invoke(spec, action("hello"));
    Lease lease = await(harness.pool.acquire(spec));
    assertThat(lease.sandboxId()).isEqualTo(first.sandboxId());

    harness.killRuntime(first.sandboxId());
    await(harness.pool.removal(first.sandboxId()));
    RunResult result = await(lease.run(PoolHarness.invocation(action("hello"))));

    assertThat(result.outcome()).isInstanceOf(Outcome.Succeeded.class);
    assertThat(result.sandboxId()).isNotEqualTo(first.sandboxId());
    assertThat(harness.containers()).containsExactly(result.sandboxId());
  }

  @Test
  void aRuntimeKilledWhileRunningTheEventIsReportedAsACrash() throws Exception {
    CompletableFuture<Void> running = new CompletableFuture<>();
    HttpServer notified = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    notified.createContext("/", exchange -> {
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
      running.complete(null);
    });
    notified.start();
    try {
      Lease lease = await(harness.pool.acquire(spec));
      Future<RunResult> result = lease.run(PoolHarness.invocation(action("block")
          .put("notify", "http://127.0.0.1:" + notified.getAddress().getPort() + "/").put("millis", 60_000)));
      running.get(60, TimeUnit.SECONDS);

      harness.killRuntime(lease.sandboxId());

      RunResult crashed = await(result);
      assertThat(crashed.outcome()).isEqualTo(new Outcome.Crashed("Runtime exited with error: signal: killed"));
      assertThat(crashed.log()).contains("misbehaving: block");
      assertThat(harness.containers()).as("the crashed sandbox is gone when its result is given").isEmpty();
    } finally {
      notified.stop(0);
    }
  }
}
