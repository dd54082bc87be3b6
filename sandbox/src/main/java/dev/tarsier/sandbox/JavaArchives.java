package dev.tarsier.sandbox;

import dev.tarsier.sandbox.runc.ContainerSpec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Start-up archives for the Java runtimes: what the JVM and the runtime interface client load before the
 * first event, stored once per runtime in {@code runtimes/java/archives} so that every later sandbox maps
 * it instead of loading and verifying ~900 classes. JDK 24 and later get an AOT cache
 * ({@code -XX:AOTCacheOutput} / {@code -XX:AOTCache}), older ones a dynamic AppCDS archive
 * ({@code -XX:ArchiveClassesAtExit} / {@code -XX:SharedArchiveFile}).
 *
 * <p>An archive is built by a training run: a sandbox like any other, running a small handler a few
 * dozen times, then asked to exit, which is when the JVM writes the archive. It is named after everything
 * that must match for the JVM to accept it (JDK, flags, the runtime's jars), so a change of any of those
 * builds a new one. Builds run one at a time on the pool's context, after start-up; sandboxes started
 * meanwhile run without. Only for runc sandboxes: their paths are the same in every container.
 */
final class JavaArchives {
  private static final Logger LOG = Logger.getLogger(JavaArchives.class.getName());
  static final String TRAINING_FUNCTION = "tarsier-archive-training";
  private static final String TRAINING_HANDLER = "dev.tarsier.sandbox.training.TrainingHandler::handleRequest";
  private static final String TRAINING_CLASS = "dev/tarsier/sandbox/training/TrainingHandler.class";
  private static final String OUT = "/tmp/archive";
  private static final int TRAINING_EVENTS = 40;
  private static final Duration EXIT_GRACE = Duration.ofMinutes(3);

  private final Path runtimesDir;
  private final String idScope;
  private final Map<String, Boolean> present = new ConcurrentHashMap<>();
  private final Promise<Void> ready = Promise.promise();
  private Sandbox training;
  private boolean closed;

  JavaArchives(Path runtimesDir, String idScope) {
    this.runtimesDir = runtimesDir;
    this.idScope = idScope;
  }

  /** Archives are neither built nor used. */
  static JavaArchives none() {
    JavaArchives none = new JavaArchives(null, null);
    none.ready.complete();
    return none;
  }

  private Path archivesDir() {
    return runtimesDir.resolve("java").resolve("archives");
  }

  /**
   * The launch with the archive flags: to write the archive for a training run, to use it when it
   * exists, unchanged otherwise. Called on a worker as each sandbox starts.
   */
  Runtimes.Launch apply(SandboxSpec spec, Runtimes.Launch launch) {
    if (runtimesDir == null || !launch.args().get(0).endsWith("/bin/java")) {
      return launch;
    }
    String name = archiveName(launch);
    boolean aot = name.endsWith(".aot");
    List<String> args = new ArrayList<>(launch.args());
    if (aot) {
      // An AOT cache replaces -Xshare; the JVM refuses both at once.
      args.remove("-Xshare:auto");
    }
    if (spec.functionName().equals(TRAINING_FUNCTION)) {
      args.add(1, (aot ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + OUT + "/" + name);
      List<ContainerSpec.Bind> binds = new ArrayList<>(launch.binds());
      binds.add(new ContainerSpec.Bind(spec.codeDir().resolveSibling("java-training-out"), OUT, true));
      return new Runtimes.Launch(args, launch.env(), binds);
    }
    if (!present.computeIfAbsent(name, n -> Files.isRegularFile(archivesDir().resolve(n)))) {
      return launch;
    }
    String archive = "/var/runtime/java/archives/" + name;
    // The JVM would print why it cannot use an archive into the function's log; that is the platform's business.
    args.addAll(1, aot ? List.of("-XX:AOTCache=" + archive, "-Xlog:aot=off", "-Xlog:cds=off")
        : List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off"));
    return new Runtimes.Launch(args, launch.env(), launch.binds());
  }

  /**
   * Builds the archives this machine's Java runtimes lack, one at a time; nothing for {@link #none}. Call
   * on the pool's context.
   */
  void build(Sandboxes sandboxes) {
    if (runtimesDir == null) {
      return;
    }
    List<RuntimeId> javas = sandboxes.runtimes.offered().stream().filter(r -> r.wireName().startsWith("java")).sorted().toList();
    Future<Void> chain = sandboxes.blocking(this::prepareTrainingCode);
    for (RuntimeId runtime : javas) {
      chain = chain.compose(v -> buildOne(sandboxes, runtime));
    }
    chain.onComplete(done -> {
      if (done.failed()) {
        LOG.warning("Java start-up archives were not built; Java cold starts stay slower: " + done.cause());
      }
      ready.tryComplete();
    });
  }

  private Future<Void> buildOne(Sandboxes sandboxes, RuntimeId runtime) {
    SandboxSpec spec = new SandboxSpec(TRAINING_FUNCTION, "arn:aws:lambda:us-east-1:000000000000:function:" + TRAINING_FUNCTION,
        TRAINING_FUNCTION + "|" + runtime.wireName(), runtime, TRAINING_HANDLER, runtimesDir.resolve("java-training"), 1024,
        Duration.ofSeconds(60), 64, Map.of());
    String name = archiveName(sandboxes.runtimes.launch(spec, "127.0.0.1:0", InitializationType.ON_DEMAND));
    if (closed || Files.isRegularFile(archivesDir().resolve(name))) {
      return Future.succeededFuture();
    }
    long started = System.nanoTime();
    Path out = runtimesDir.resolve("java-training-out");
    Sandbox sandbox = sandboxes.create(idScope + "-archive-" + runtime.wireName().replace('.', '-'), spec, InitializationType.ON_DEMAND, gone -> { });
    training = sandbox;
    return sandboxes.blocking(() -> {
          RuntimeOutput.removeDirectory(out);
          Files.createDirectories(out);
          // The sandbox's user writes the archive here.
          Files.setAttribute(out, "unix:mode", 01777);
          return null;
        })
        .compose(v -> sandbox.start())
        .compose(v -> runEvents(sandbox, TRAINING_EVENTS))
        .compose(v -> sandbox.terminate(EXIT_GRACE))
        .compose(v -> sandboxes.<Void>blocking(() -> {
          Path written = out.resolve(name);
          if (!Files.isRegularFile(written)) {
            throw new IOException("the training run of " + runtime.wireName() + " wrote no archive " + name);
          }
          Files.createDirectories(archivesDir());
          Files.move(written, archivesDir().resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          present.remove(name);
          return null;
        }))
        .onSuccess(v -> LOG.info("built the start-up archive of " + runtime.wireName() + " (" + name + ") in "
            + (System.nanoTime() - started) / 1_000_000 + " ms"))
        .onComplete(v -> {
          training = null;
          sandbox.teardown();
        });
  }

  private Future<Void> runEvents(Sandbox sandbox, int left) {
    if (left == 0 || closed) {
      return Future.succeededFuture();
    }
    String event = "{\"name\":\"Tapir\",\"n\":" + left + ",\"nested\":{\"list\":[1,2,3],\"flag\":true}}";
    return sandbox.run(new Invocation(UUID.randomUUID().toString(), Buffer.buffer(event), "application/json", null))
        .compose(ran -> ran.outcome() instanceof Outcome.Succeeded
            ? runEvents(sandbox, left - 1)
            : Future.failedFuture("training event failed: " + ran.outcome() + "\n" + ran.log()));
  }

  /** Completes when the builds are done (or given up). */
  Future<Void> ready() {
    return ready.future();
  }

  /** Stops a build in progress; its sandbox is removed. */
  Future<Void> close() {
    closed = true;
    Sandbox running = training;
    return running == null ? ready.future() : running.teardown().compose(v -> ready.future());
  }

  /** Copies the training handler's class (compiled for Java 17) to the code directory of training runs. */
  private Void prepareTrainingCode() throws IOException {
    Path target = runtimesDir.resolve("java-training").resolve(TRAINING_CLASS);
    Files.createDirectories(target.getParent());
    try (InputStream in = JavaArchives.class.getResourceAsStream("/runtimes/java-training/" + TRAINING_CLASS)) {
      if (in == null) {
        throw new IOException("the training handler is missing from the platform's class path");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return null;
  }

  /**
   * The archive's file name: the runtime and a hash of everything the JVM checks an archive against
   * (the JDK build, the flags other than the heap size and the handler, the runtime's jars).
   */
  private String archiveName(Runtimes.Launch launch) {
    Path javaHome = Path.of(launch.args().get(0)).getParent().getParent();
    int feature = featureVersion(javaHome);
    StringBuilder key = new StringBuilder(javaHome.toString()).append('\n').append(readQuietly(javaHome.resolve("release")));
    List<String> args = launch.args();
    for (String arg : args.subList(0, args.size() - 1)) {
      // Neither the heap's size nor how far the JIT compiles changes what an archive holds (a JVM at
      // TieredStopAtLevel=4 maps one made at 1), so a function tuned for C2, or a provisioned java25
      // sandbox, starts on the same archive as the defaults.
      if (!arg.startsWith("-Xmx") && !arg.startsWith("-XX:TieredStopAtLevel")) {
        key.append('\n').append(arg);
      }
    }
    try (Stream<Path> jars = Files.list(runtimesDir.resolve("java"))) {
      jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().forEach(jar -> key.append('\n').append(jar.getFileName())
          .append(' ').append(jar.toFile().length()).append(' ').append(jar.toFile().lastModified()));
    } catch (IOException e) {
      key.append("\nno jars");
    }
    return "java" + feature + "-" + sha256(key.toString()).substring(0, 12) + (feature >= 24 ? ".aot" : ".jsa");
  }

  private static int featureVersion(Path javaHome) {
    for (String line : readQuietly(javaHome.resolve("release")).split("\n")) {
      if (line.startsWith("JAVA_VERSION=")) {
        try {
          return Integer.parseInt(line.substring("JAVA_VERSION=".length()).replace("\"", "").split("[.+-]")[0]);
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
