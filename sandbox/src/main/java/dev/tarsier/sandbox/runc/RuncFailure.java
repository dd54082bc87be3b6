package dev.tarsier.sandbox.runc;

import java.util.List;

/** A runc command that failed: carries its arguments, exit code and stderr so the log says what went wrong. */
public final class RuncFailure extends RuntimeException {
  private final List<String> command;
  private final int exitCode;

  public RuncFailure(List<String> command, int exitCode, String stderr) {
    super(String.join(" ", command) + " exited with " + exitCode + ": " + stderr.strip());
    this.command = List.copyOf(command);
    this.exitCode = exitCode;
  }

  public RuncFailure(List<String> command, String reason) {
    super(String.join(" ", command) + ": " + reason);
    this.command = List.copyOf(command);
    this.exitCode = -1;
  }

  public List<String> command() {
    return command;
  }

  public int exitCode() {
    return exitCode;
  }
}
