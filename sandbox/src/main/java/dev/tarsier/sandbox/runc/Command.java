package dev.tarsier.sandbox.runc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A short host command (runc, mkfs, mount) run to completion: no input, its output read once it exits
 * (these print little, so a full pipe cannot stall them), bounded by a timeout. Blocking.
 */
record Command(List<String> args) {
  /** How a command ended: its exit code and what it printed. */
  record Result(int exitCode, String stdout, String stderr) {}

  /**
   * Runs the command; fails, with a reason that does not repeat the command, when it cannot start,
   * outlives {@code timeout}, or the thread is interrupted.
   */
  Result run(Duration timeout) throws IOException {
    Process process = new ProcessBuilder(args).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException("no answer within " + timeout.toMillis() + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /** Runs the command and returns what it printed; an exit code other than 0 is a failure naming it. */
  String output(Duration timeout) throws IOException {
    Result result;
    try {
      result = run(timeout);
    } catch (IOException e) {
      throw new IOException(this + ": " + e.getMessage(), e);
    }
    if (result.exitCode() != 0) {
      throw new IOException(this + " exited with " + result.exitCode() + ": " + (result.stderr() + result.stdout()).strip());
    }
    return result.stdout().strip();
  }

  @Override
  public String toString() {
    return String.join(" ", args);
  }
}
