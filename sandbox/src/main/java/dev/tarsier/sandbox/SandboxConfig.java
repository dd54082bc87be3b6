package dev.tarsier.sandbox;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The sandbox module's one configuration record, built and validated once at start-up.
 *
 * @param dataDir         where bundles, the shared root, runtime files and runc's state live
 * @param keepAlive       how long an idle sandbox is kept warm when its spec does not say
 * @param startTimeout    how long a new sandbox may take to reach its first {@code /next}
 * @param cgroupParent    the cgroup under which every sandbox's cgroup is made
 * @param sandboxUid      the unprivileged user functions run as
 * @param isolation       runc containers, plain child processes, or whichever this machine allows
 * @param memoryBudgetMb  the memory all sandboxes together may be given (the sum of their limits)
 * @param acquireTimeout  how long an acquisition may wait for memory before it fails
 * @param initFailureHold how long a function whose init failed is answered with that failure instead of
 *                        being started again; doubled on each further failure, up to 12 times this
 * @param javaArchives    whether to build and use class-data archives for the Java runtimes
 */
public record SandboxConfig(
    Path dataDir,
    Duration keepAlive,
    Duration startTimeout,
    String cgroupParent,
    int sandboxUid,
    IsolationMode isolation,
    long memoryBudgetMb,
    Duration acquireTimeout,
    Duration initFailureHold,
    boolean javaArchives) {

  /** Which isolation to use. */
  public enum IsolationMode {
    /** runc containers where runc is installed and we are root, else plain processes. */
    AUTO,
    /** runc containers; the pool does not start without them. */
    RUNC,
    /** plain child processes, with the limits the OS gives a process. */
    PROCESS
  }

  public SandboxConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(isolation, "isolation");
    positive("keepAlive", keepAlive);
    positive("startTimeout", startTimeout);
    positive("acquireTimeout", acquireTimeout);
    positive("initFailureHold", initFailureHold);
    if (!cgroupParent.matches("[a-zA-Z0-9_-]+")) {
      throw new IllegalArgumentException("cgroupParent must be a plain name, was " + cgroupParent);
    }
    if (memoryBudgetMb < 128) {
      throw new IllegalArgumentException("memoryBudgetMb must be at least 128, was " + memoryBudgetMb);
    }
  }

  private static void positive(String key, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, was " + value);
    }
  }

  /**
   * Defaults: 10 minutes keep-alive (as Lambda, roughly), 30 s to start, cgroup {@code tarsier}, uid 990,
   * isolation chosen by what the machine has, half the machine's memory as budget, 10 s to wait for
   * memory, 5 s init-failure hold, Java archives on.
   */
  public static SandboxConfig defaults(Path dataDir) {
    return new SandboxConfig(dataDir, Duration.ofMinutes(10), Duration.ofSeconds(30), "tarsier", 990, IsolationMode.AUTO,
        Math.max(128, physicalMemoryMb() / 2), Duration.ofSeconds(10), Duration.ofSeconds(5), true);
  }

  public SandboxConfig withKeepAlive(Duration keepAlive) {
    return new SandboxConfig(dataDir, keepAlive, startTimeout, cgroupParent, sandboxUid, isolation, memoryBudgetMb,
        acquireTimeout, initFailureHold, javaArchives);
  }

  public SandboxConfig withIsolation(IsolationMode isolation) {
    return new SandboxConfig(dataDir, keepAlive, startTimeout, cgroupParent, sandboxUid, isolation, memoryBudgetMb,
        acquireTimeout, initFailureHold, javaArchives);
  }

  public SandboxConfig withMemoryBudgetMb(long memoryBudgetMb) {
    return new SandboxConfig(dataDir, keepAlive, startTimeout, cgroupParent, sandboxUid, isolation, memoryBudgetMb,
        acquireTimeout, initFailureHold, javaArchives);
  }

  public SandboxConfig withAcquireTimeout(Duration acquireTimeout) {
    return new SandboxConfig(dataDir, keepAlive, startTimeout, cgroupParent, sandboxUid, isolation, memoryBudgetMb,
        acquireTimeout, initFailureHold, javaArchives);
  }

  public SandboxConfig withInitFailureHold(Duration initFailureHold) {
    return new SandboxConfig(dataDir, keepAlive, startTimeout, cgroupParent, sandboxUid, isolation, memoryBudgetMb,
        acquireTimeout, initFailureHold, javaArchives);
  }

  public SandboxConfig withJavaArchives(boolean javaArchives) {
    return new SandboxConfig(dataDir, keepAlive, startTimeout, cgroupParent, sandboxUid, isolation, memoryBudgetMb,
        acquireTimeout, initFailureHold, javaArchives);
  }

  /** The machine's physical memory in MB, as the JVM sees it. */
  static long physicalMemoryMb() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize() / (1024 * 1024);
    }
    return 2048;
  }

  Path sandboxesDir() {
    return dataDir.resolve("sandboxes");
  }

  Path rootfsDir() {
    return dataDir.resolve("rootfs");
  }

  Path runtimesDir() {
    return dataDir.resolve("runtimes");
  }

  Path runcRoot() {
    return dataDir.resolve("runc");
  }
}
