package dev.tarsier.sandbox;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The files a sandbox is read through: the runtime's output (stdout and stderr, appended to one file)
 * and the container's memory cgroup. Reading the output file after the runtime's answer sees every line
 * written before that answer, since a write to a file is complete when the call returns. Blocking:
 * call from a worker.
 */
final class ContainerFiles {
  /** At most this much output is kept per run; the head of a longer one is dropped. */
  static final int MAX_LOG_BYTES = 256 * 1024;

  private final Path output;
  private final Path memoryCgroup;
  private long offset;

  record Measurement(String log, long maxMemoryBytes, boolean oomKilled) {
    static final Measurement NONE = new Measurement("", 0, false);
  }

  ContainerFiles(Path output, Path memoryCgroup) {
    this.output = output;
    this.memoryCgroup = memoryCgroup;
  }

  Path output() {
    return output;
  }

  /** The output written since the last call, the cgroup's peak memory and whether its OOM killer fired. */
  synchronized Measurement measure() {
    return new Measurement(readNewOutput(), maxMemoryBytes(), oomKills() > 0);
  }

  /** The last few KB of output, for the message of a failed start. */
  synchronized String tailOfOutput() {
    return readNewOutput();
  }

  private String readNewOutput() {
    try (RandomAccessFile file = new RandomAccessFile(output.toFile(), "r")) {
      long end = file.length();
      long from = Math.max(offset, end - MAX_LOG_BYTES);
      byte[] bytes = new byte[(int) (end - from)];
      file.seek(from);
      file.readFully(bytes);
      offset = end;
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private long maxMemoryBytes() {
    try {
      return Long.parseLong(Files.readString(memoryCgroup.resolve("memory.max_usage_in_bytes")).strip());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  private long oomKills() {
    try {
      for (String line : Files.readAllLines(memoryCgroup.resolve("memory.oom_control"))) {
        if (line.startsWith("oom_kill ")) {
          return Long.parseLong(line.substring("oom_kill ".length()).strip());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  static void removeDirectory(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
