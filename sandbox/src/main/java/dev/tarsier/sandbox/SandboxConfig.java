package dev.tarsier.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The sandbox module's one configuration record, built and validated once at start-up.
 *
 * @param dataDir      where bundles, the shared root, runtime files and runc's state live
 * @param keepAlive    how long an idle sandbox is kept warm
 * @param startTimeout how long a new sandbox may take to reach its first {@code /next}
 * @param cgroupParent the cgroup under which every sandbox's cgroup is made
 * @param sandboxUid   the unprivileged user functions run as
 */
public record SandboxConfig(Path dataDir, Duration keepAlive, Duration startTimeout, String cgroupParent, int sandboxUid) {

  public SandboxConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    if (keepAlive.isNegative() || keepAlive.isZero()) {
      throw new IllegalArgumentException("keepAlive must be positive, was " + keepAlive);
    }
    if (startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
    }
    if (!cgroupParent.matches("[a-zA-Z0-9_-]+")) {
      throw new IllegalArgumentException("cgroupParent must be a plain name, was " + cgroupParent);
    }
  }

  /** Defaults: 10 minutes keep-alive (as Lambda, roughly), 30 s to start, cgroup {@code tarsier}, uid 990. */
  public static SandboxConfig defaults(Path dataDir) {
    return new SandboxConfig(dataDir, Duration.ofMinutes(10), Duration.ofSeconds(30), "tarsier", 990);
  }

  public SandboxConfig withKeepAlive(Duration keepAlive) {
    return new SandboxConfig(dataDir, keepAlive, startTimeout, cgroupParent, sandboxUid);
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
