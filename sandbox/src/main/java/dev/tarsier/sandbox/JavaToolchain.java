package dev.tarsier.sandbox;

import dev.tarsier.sandbox.runc.ContainerSpec.Bind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * {@code java17} and {@code java25}: a host JDK running the official AWS Lambda Java runtime interface
 * client, whose jars are copied once into {@code runtimes/java}.
 */
record JavaToolchain(RuntimeId runtime, Path javaHome) implements Toolchain {
  /** Classes whose jars make up the official Java runtime interface client and what it needs. */
  private static final List<String> RIC_CLASSES = List.of(
      "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
      "com.amazonaws.services.lambda.runtime.Context",
      "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
      "software.amazon.awssdk.utilslite.SdkInternalThreadLocal");
  private static final String JNI_RESOURCE = "jni/libaws-lambda-jni.linux-x86_64.so";
  private static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

  @Override
  public Runtimes.Launch launch(SandboxSpec spec, Map<String, String> env) {
    long heapMb = Math.max(32, spec.memoryMb() * 80L / 100);
    List<String> args = new ArrayList<>();
    args.add(javaHome.resolve("bin/java").toString());
    // Lambda's defaults: the serial collector, and C1 only, which starts fastest; a compute-heavy
    // function opts into C2 with JAVA_TOOL_OPTIONS=-XX:TieredStopAtLevel=4, as on Lambda. From Java 25 on,
    // Lambda leaves tiered compilation at the JVM's default in provisioned environments, whose start-up
    // happens ahead of demand.
    List<String> defaults = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
        "-Xshare:auto", "-Xmx" + heapMb + "m"));
    if (runtime != RuntimeId.JAVA17
        && InitializationType.PROVISIONED_CONCURRENCY.wireName().equals(env.get("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
      defaults.remove("-XX:TieredStopAtLevel=1");
    }
    args.addAll(JvmDefaults.keep(defaults, env.get("JAVA_TOOL_OPTIONS")));
    args.addAll(List.of(
        "-D" + JNI_PROPERTY + "=/var/runtime/java/libaws-lambda-jni.so",
        "-cp", "/var/runtime/java/*",
        "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
        spec.handler()));
    if (runtime != RuntimeId.JAVA17) {
      // The client loads its JNI library; newer JDKs warn about that into the function's log unless allowed.
      args.add(1, "--enable-native-access=ALL-UNNAMED");
    }
    env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + runtime.wireName());
    env.put("JAVA_HOME", javaHome.toString());
    List<Bind> binds = javaHome.startsWith("/usr") ? List.of() : List.of(new Bind(javaHome, javaHome.toString()));
    return new Runtimes.Launch(args, env, binds);
  }

  /** The first JDK of release {@code feature} under {@code jvms}, skipping the distribution's alias links. */
  static Optional<JavaToolchain> find(Path jvms, RuntimeId runtime, int feature) throws IOException {
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (Stream<Path> homes = Files.list(jvms)) {
      return homes
          .filter(home -> !Files.isSymbolicLink(home) && Files.isExecutable(home.resolve("bin/java")))
          .filter(home -> featureVersion(home) == feature)
          .sorted()
          .findFirst()
          .map(home -> new JavaToolchain(runtime, home));
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

  /** Copies the runtime interface client's jars and its JNI library into {@code dir}, unpacked once instead of per start. */
  static void install(Path dir) throws IOException {
    Path ricJar = null;
    for (String className : RIC_CLASSES) {
      Path jar = jarOf(className);
      RuntimeFiles.copyIfChanged(jar, dir.resolve(jar.getFileName()));
      if (ricJar == null) {
        ricJar = jar;
      }
    }
    try (ZipFile zip = new ZipFile(ricJar.toFile()); InputStream in = zip.getInputStream(zip.getEntry(JNI_RESOURCE))) {
      RuntimeFiles.writeOnce(in, dir.resolve("libaws-lambda-jni.so"));
    }
  }

  private static Path jarOf(String className) throws IOException {
    try {
      Class<?> type = Class.forName(className, false, JavaToolchain.class.getClassLoader());
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (ClassNotFoundException | URISyntaxException e) {
      throw new IOException("the Java runtime interface client is not on the platform's class path: " + className, e);
    }
  }
}
