package dev.tarsier.gateway.cli;

/** A failure to report to the user as one line, without a stack trace. */
final class CliFailure extends RuntimeException {
  CliFailure(String message) {
    super(message);
  }
}
