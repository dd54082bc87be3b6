package dev.tarsier.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The platform as a real child process ({@code Main}), so a test can kill -9 it and start it again. */
final class PlatformProcess implements AutoCloseable {
  private static final Pattern EDGE = Pattern.compile("edge\\s+(http://\\S+)");

  private final Process process;
  private final URI endpoint;

  private PlatformProcess(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  static PlatformProcess start(Path dataDir) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", "target/classes:target/lib/*",
        "dev.tarsier.gateway.Main", "--port", "0", "--data", dataDir.toString())
        .redirectErrorStream(true)
        .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // The process is gone; the test notices through its own checks.
      }
      lines.add("<exited>");
    }, "platform-output");
    reader.setDaemon(true);
    reader.start();
    StringBuilder seen = new StringBuilder();
    while (true) {
      String line = lines.poll(120, TimeUnit.SECONDS);
      if (line == null || line.equals("<exited>")) {
        process.destroyForcibly();
        throw new IllegalStateException("the platform did not start:\n" + seen);
      }
      seen.append(line).append('\n');
      Matcher edge = EDGE.matcher(line);
      if (edge.find()) {
        return new PlatformProcess(process, URI.create(edge.group(1)));
      }
    }
  }

  URI endpoint() {
    return endpoint;
  }

  /** SIGKILL: no shutdown hook runs, nothing is cleaned up. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

}
