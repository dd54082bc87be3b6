package dev.tarsier.sandbox;

import java.util.Map;

/** Lambda's wording for how a runtime exited: {@code exit status 1}, {@code signal: killed}. */
final class ExitReasons {
  private static final Map<Integer, String> SIGNALS = Map.of(
      1, "hangup", 2, "interrupt", 3, "quit", 4, "illegal instruction", 6, "aborted",
      7, "bus error", 8, "floating point exception", 9, "killed", 11, "segmentation fault", 15, "terminated");

  private ExitReasons() {}

  /**
   * The sentence Lambda logs, e.g. {@code Runtime exited with error: signal: killed}. runc reports a
   * container killed by signal N as exit code 128 + N.
   */
  static String describe(int exitCode) {
    if (exitCode == 0) {
      return "Runtime exited without providing a reason";
    }
    if (exitCode > 128 && exitCode < 128 + 65) {
      int signal = exitCode - 128;
      return "Runtime exited with error: signal: " + SIGNALS.getOrDefault(signal, "signal " + signal);
    }
    return "Runtime exited with error: exit status " + exitCode;
  }
}
