package dev.tarsier.sandbox;

import dev.tarsier.sandbox.runc.ContainerSpec.Bind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The runtimes this machine can offer and how each is started inside a sandbox. A runtime whose
 * toolchain is missing on the host is not offered.
 */
public final class Runtimes {
  /** Classes whose jars make up the official Java runtime interface client and what it needs. */
  private static final List<String> JAVA_RIC_CLASSES = List.of(
      "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
      "com.amazonaws.services.lambda.runtime.Context",
      "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
      "software.amazon.awssdk.utilslite.SdkInternalThreadLocal");
  private static final String JNI_RESOURCE = "jni/libaws-lambda-jni.linux-x86_64.so";
  private static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

  private final Map<RuntimeId, Path> javaHomes;
  private final Path runtimesDir;

  private Runtimes(Map<RuntimeId, Path> javaHomes, Path runtimesDir) {
    this.javaHomes = javaHomes;
    this.runtimesDir = runtimesDir;
  }

  /** Looks for the host's toolchains and copies the runtime files into {@code runtimesDir} (mounted at /var/runtime). */
  static Runtimes prepare(Path runtimesDir) throws IOException {
    Map<RuntimeId, Path> homes = new EnumMap<>(RuntimeId.class);
    findJdk(17).ifPresent(home -> homes.put(RuntimeId.JAVA17, home));
    findJdk(25).ifPresent(home -> homes.put(RuntimeId.JAVA25, home));
    if (!homes.isEmpty()) {
      copyJavaRuntime(runtimesDir.resolve("java"));
    }
    return new Runtimes(homes, runtimesDir);
  }

  /** The runtimes offered on this machine. */
  public Set<RuntimeId> offered() {
    return javaHomes.keySet();
  }

  Path runtimesDir() {
    return runtimesDir;
  }

  /** The process, environment and extra mounts that start {@code spec}'s runtime. */
  Launch launch(SandboxSpec spec, String runtimeApi) {
    Path javaHome = javaHomes.get(spec.runtime());
    if (javaHome == null) {
      throw new IllegalArgumentException("runtime " + spec.runtime().wireName() + " is not offered on this machine");
    }
    long heapMb = Math.max(32, spec.memoryMb() * 80L / 100);
    List<String> args = new ArrayList<>(List.of(
        javaHome.resolve("bin/java").toString(),
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-XX:-UsePerfData",
        "-Xshare:auto",
        "-Xmx" + heapMb + "m",
        "-D" + JNI_PROPERTY + "=/var/runtime/java/libaws-lambda-jni.so",
        "-cp", "/var/runtime/java/*",
        "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
        spec.handler()));
    if (spec.runtime() != RuntimeId.JAVA17) {
      // The client loads its JNI library; newer JDKs warn about that into the function's log unless allowed.
      args.add(1, "--enable-native-access=ALL-UNNAMED");
    }
    Map<String, String> env = lambdaEnvironment(spec, runtimeApi);
    env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + spec.runtime().wireName());
    env.put("JAVA_HOME", javaHome.toString());
    List<Bind> binds = new ArrayList<>();
    if (!javaHome.startsWith("/usr")) {
      binds.add(new Bind(javaHome, javaHome.toString()));
    }
    return new Launch(args, env, binds);
  }

  /** A runtime's process, its environment, and mounts beyond the shared ones. */
  record Launch(List<String> args, Map<String, String> env, List<Bind> binds) {}

  /** The variables Lambda sets for every runtime (reserved ones win over the function's own). */
  private static Map<String, String> lambdaEnvironment(SandboxSpec spec, String runtimeApi) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("LANG", "en_US.UTF-8");
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
    env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.functionName());
    return env;
  }

  private static java.util.Optional<Path> findJdk(int feature) throws IOException {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return java.util.Optional.empty();
    }
    try (Stream<Path> homes = Files.list(jvms)) {
      return homes
          .filter(home -> !Files.isSymbolicLink(home) && Files.isExecutable(home.resolve("bin/java")))
          .filter(home -> featureVersion(home) == feature)
          .sorted()
          .findFirst();
    }
  }

  private static int featureVersion(Path home) {
    try {
      for (String line : Files.readAllLines(home.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          return Integer.parseInt(version.split("[.+-]")[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** Copies the Java runtime interface client's jars and its JNI library, unpacked once instead of per start. */
  private static void copyJavaRuntime(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path ricJar = null;
    for (String className : JAVA_RIC_CLASSES) {
      Path jar = jarOf(className);
      copyIfChanged(jar, dir.resolve(jar.getFileName()));
      if (ricJar == null) {
        ricJar = jar;
      }
    }
    Path jni = dir.resolve("libaws-lambda-jni.so");
    if (!Files.exists(jni)) {
      try (var zip = new java.util.zip.ZipFile(ricJar.toFile()); InputStream in = zip.getInputStream(zip.getEntry(JNI_RESOURCE))) {
        Path partial = dir.resolve("libaws-lambda-jni.so.partial");
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, jni, StandardCopyOption.ATOMIC_MOVE);
      }
    }
  }

  private static Path jarOf(String className) throws IOException {
    try {
      Class<?> type = Class.forName(className, false, Runtimes.class.getClassLoader());
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (ClassNotFoundException | URISyntaxException e) {
      throw new IOException("the Java runtime interface client is not on the platform's class path: " + className, e);
    }
  }

  private static void copyIfChanged(Path from, Path to) throws IOException {
    if (Files.exists(to) && Files.size(to) == Files.size(from)) {
      return;
    }
    Path partial = to.resolveSibling(to.getFileName() + ".partial");
    Files.copy(from, partial, StandardCopyOption.REPLACE_EXISTING);
    Files.move(partial, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
