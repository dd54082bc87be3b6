package dev.tarsier.sandbox;

import java.io.IOException;
import java.util.concurrent.CompletionStage;

/**
 * One launched runtime, in whatever {@link Isolation} is in force. The methods other than
 * {@link #exited()} block: call them from a worker.
 */
interface Container {

  /** Completes with the runtime's exit code when its process has ended; 128 + N after signal N. */
  CompletionStage<Integer> exited();

  /** The sandbox's memory now and at its peak, and whether the OOM killer has fired in it. */
  Usage usage();

  /** Stops every process of the sandbox from being scheduled; a no-op where the isolation cannot. */
  void freeze();

  /** Lets a frozen sandbox run again. */
  void thaw();

  /** Asks the runtime to exit (SIGTERM), so it can finish what it does at exit. */
  void terminate();

  /** Kills every process of the sandbox (a frozen one too). */
  void kill();

  /**
   * Whether one of the sandbox's processes holds the loopback TCP connection from {@code clientPort} to
   * {@code serverPort}: how its Runtime API refuses every other caller.
   */
  boolean holdsConnection(int clientPort, int serverPort) throws IOException;

  /** Removes what the launch created; call after {@link #exited()} completed. */
  void remove();

  /** Memory readings, in bytes. */
  record Usage(long peakBytes, long currentBytes, boolean oomKilled) {
    static final Usage NONE = new Usage(0, 0, false);
  }
}
