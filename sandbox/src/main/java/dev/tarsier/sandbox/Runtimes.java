package dev.tarsier.sandbox;

import dev.tarsier.sandbox.runc.ContainerSpec.Bind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The runtimes this machine can offer and how each is started inside a sandbox. A runtime whose
 * toolchain is missing on the host is not offered; {@code provided.al2023} and {@code provided} need
 * nothing of the host and are always offered. Immutable once prepared; any thread may call it.
 */
public final class Runtimes {
  private static final DateTimeFormatter STREAM_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

  private final Map<RuntimeId, Toolchain> toolchains;
  private final Path runtimesDir;
  private final Clock clock;

  Runtimes(Map<RuntimeId, Toolchain> toolchains, Path runtimesDir, Clock clock) {
    this.toolchains = Collections.unmodifiableMap(new EnumMap<>(toolchains));
    this.runtimesDir = runtimesDir;
    this.clock = clock;
  }

  /** Looks for the host's toolchains and writes the runtime files into {@code runtimesDir} (mounted at /var/runtime). Blocking. */
  static Runtimes prepare(Path runtimesDir) throws IOException {
    return prepare(runtimesDir, HostPaths.standard(), Clock.systemUTC());
  }

  static Runtimes prepare(Path runtimesDir, HostPaths host, Clock clock) throws IOException {
    Files.createDirectories(runtimesDir);
    // Mounted as /var/runtime, where the sandbox's unprivileged user must be able to look.
    Files.setPosixFilePermissions(runtimesDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<RuntimeId, Toolchain> found = new EnumMap<>(RuntimeId.class);
    JavaToolchain.find(host.jvms(), RuntimeId.JAVA17, 17).ifPresent(java -> found.put(RuntimeId.JAVA17, java));
    JavaToolchain.find(host.jvms(), RuntimeId.JAVA25, 25).ifPresent(java -> found.put(RuntimeId.JAVA25, java));
    if (!found.isEmpty()) {
      JavaToolchain.install(runtimesDir.resolve("java"));
    }
    NodeToolchain.find(host.node(), runtimesDir).ifPresent(node -> found.put(RuntimeId.NODEJS20, node));
    PythonToolchain.find(host.python(), runtimesDir).ifPresent(python -> found.put(RuntimeId.PYTHON311, python));
    found.put(RuntimeId.PROVIDED_AL2023, new CustomBootstrap());
    found.put(RuntimeId.PROVIDED, new CustomBootstrap());
    return new Runtimes(found, runtimesDir, clock);
  }

  /** The runtimes offered on this machine. */
  public Set<RuntimeId> offered() {
    return toolchains.keySet();
  }

  Path runtimesDir() {
    return runtimesDir;
  }

  /**
   * The process, environment and extra mounts that start {@code spec}'s runtime. Called on a worker.
   *
   * @throws SandboxFailure.InitFailed when the function's code cannot be started at all (no bootstrap)
   */
  Launch launch(SandboxSpec spec, String runtimeApi, InitializationType type) {
    Toolchain toolchain = toolchains.get(spec.runtime());
    if (toolchain == null) {
      throw new IllegalArgumentException("runtime " + spec.runtime().wireName() + " is not offered on this machine");
    }
    return toolchain.launch(spec, lambdaEnvironment(spec, runtimeApi, type));
  }

  /** A runtime's process, its environment, and mounts beyond the shared ones. */
  record Launch(List<String> args, Map<String, String> env, List<Bind> binds) {}

  /** The variables Lambda sets for every runtime (reserved ones win over the function's own). */
  private Map<String, String> lambdaEnvironment(SandboxSpec spec, String runtimeApi, InitializationType type) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    // Lambda says en_US.UTF-8, but hosts rarely have that locale built; C.UTF-8 is always there, and
    // without a UTF-8 locale the JVM cannot name files outside ASCII.
    env.put("LANG", "C.UTF-8");
    env.put("TZ", ":UTC");
    env.put("HOME", "/tmp");
    env.put("LD_LIBRARY_PATH", "/var/runtime:/var/runtime/lib:/var/task:/var/task/lib");
    env.putAll(spec.environment());
    env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
    env.put("_HANDLER", spec.handler());
    env.put("LAMBDA_TASK_ROOT", "/var/task");
    env.put("LAMBDA_RUNTIME_DIR", "/var/runtime");
    env.put("AWS_LAMBDA_FUNCTION_NAME", spec.functionName());
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    env.put("AWS_LAMBDA_INITIALIZATION_TYPE", type.wireName());
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.functionName());
    env.put("AWS_LAMBDA_LOG_STREAM_NAME", logStreamName());
    return env;
  }

  /** One stream per execution environment, named as Lambda names them: {@code 2025/01/31/[$LATEST]<32 hex>}. */
  private String logStreamName() {
    byte[] id = new byte[16];
    ThreadLocalRandom.current().nextBytes(id);
    return STREAM_DATE.format(clock.instant()) + "/[$LATEST]" + HexFormat.of().formatHex(id);
  }
}
