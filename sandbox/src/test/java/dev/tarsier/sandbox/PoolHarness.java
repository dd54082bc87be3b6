package dev.tarsier.sandbox;

import dev.tarsier.sandbox.runc.TmpVolume;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A real pool on its own data directory, with a clock the test moves, and what the tests look at from
 * outside it: runc's list, the cgroup files, the runtimes' pids.
 */
final class PoolHarness implements AutoCloseable {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  final Vertx vertx;
  final TestClock clock;
  final SandboxConfig config;
  final WarmPool pool;
  private final Path codeRoot;
  private List<String> leftContainers = List.of();

  private PoolHarness(Vertx vertx, TestClock clock, SandboxConfig config, WarmPool pool, Path codeRoot) {
    this.vertx = vertx;
    this.clock = clock;
    this.config = config;
    this.pool = pool;
    this.codeRoot = codeRoot;
  }

  static PoolHarness start(UnaryOperator<SandboxConfig> tweak) throws Exception {
    Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pool-");
    SandboxConfig config = tweak.apply(SandboxConfig.defaults(dataDir).withJavaArchives(false));
    Vertx vertx = Vertx.vertx();
    TestClock clock = new TestClock(START);
    WarmPool pool = await(WarmPool.create(vertx, config, clock));
    return new PoolHarness(vertx, clock, config, pool, dataDir);
  }

  /** A spec for an example function; each distinct {@code function} name is its own pool key. */
  SandboxSpec spec(String function, String example, String handler, int memoryMb, Duration timeout) throws IOException {
    Path code = codeRoot.resolve("code-" + example);
    if (!Files.isDirectory(code)) {
      code = ExampleCode.unpacked(example, codeRoot);
    }
    return new SandboxSpec(function, "arn:aws:lambda:us-east-1:000000000000:function:" + function,
        function + "|" + memoryMb + "|" + handler, RuntimeId.JAVA25, handler, code, memoryMb, timeout, 64, Map.of());
  }

  SandboxSpec misbehave(String function, int memoryMb, Duration timeout) throws IOException {
    return spec(function, "misbehave-java", "example.Misbehave::handleRequest", memoryMb, timeout);
  }

  RunResult invoke(SandboxSpec spec, JsonObject event) throws Exception {
    return await(pool.acquire(spec).compose(lease -> lease.run(invocation(event))));
  }

  static Invocation invocation(JsonObject event) {
    return new Invocation(UUID.randomUUID().toString(), Buffer.buffer(event.encode()), "application/json", null);
  }

  static JsonObject action(String action) {
    return new JsonObject().put("action", action);
  }

  /** The ids of the containers runc knows under this pool's state directory. */
  List<String> containers() throws IOException, InterruptedException {
    return runc("list", "--quiet").lines().filter(line -> !line.isBlank()).toList();
  }

  /** The pid, on the host, of the sandbox's runtime (its container's first process). */
  long runtimePid(String sandboxId) throws IOException, InterruptedException {
    return new JsonObject(runc("state", sandboxId)).getLong("pid");
  }

  /** Kills the sandbox's runtime from outside, as {@code kill -9} would, and waits until it has died. */
  void killRuntime(String sandboxId) throws Exception {
    long pid = runtimePid(sandboxId);
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
    process.destroyForcibly();
    process.onExit().get(30, TimeUnit.SECONDS);
  }

  static Path cgroup(String controller, String sandboxId) {
    return Path.of("/sys/fs/cgroup", controller, "tarsier", sandboxId);
  }

  static String cgroupFile(String controller, String sandboxId, String file) throws IOException {
    return Files.readString(cgroup(controller, sandboxId).resolve(file)).strip();
  }

  private String runc(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("runc", "--root", config.runcRoot().toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return out;
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  /**
   * Stops the pool; its data directory goes too, unless containers or mounted volumes were left: then it
   * stays for a look (and deleting through a mount would reach what it mounts). {@link #leftContainers}
   * says which containers were left.
   */
  @Override
  public void close() throws Exception {
    await(pool.close());
    await(vertx.close());
    leftContainers = containers();
    if (leftContainers.isEmpty() && TmpVolume.mountedUnder(codeRoot).isEmpty()) {
      RuntimeOutput.removeDirectory(codeRoot);
    }
  }

  /** The containers runc still knew when {@link #close} had closed the pool (afterwards its state is gone). */
  List<String> leftContainers() {
    return leftContainers;
  }
}
