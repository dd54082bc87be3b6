package dev.tarsier.sandbox;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The runtime's output: stdout and stderr, appended to one file, read a run at a time. Reading it after
 * the runtime's answer sees every line written before that answer, since a write to a file is complete
 * when the call returns. Blocking: call from a worker.
 */
final class RuntimeOutput {
  /** At most this much output is kept per run; the head of a longer one is dropped. */
  static final int MAX_LOG_BYTES = 256 * 1024;

  private final Path file;
  private long offset;

  RuntimeOutput(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** The output written since the last call. */
  synchronized String readNew() {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long end = in.length();
      long from = Math.max(offset, end - MAX_LOG_BYTES);
      byte[] bytes = new byte[(int) (end - from)];
      in.seek(from);
      in.readFully(bytes);
      offset = end;
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
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
