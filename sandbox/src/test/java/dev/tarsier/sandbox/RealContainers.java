package dev.tarsier.sandbox;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tarsier.sandbox.runc.Runc;

/**
 * Container tests need runc and root. Where either is missing on a developer's laptop they are
 * skipped; under CI ({@code CI=true}) a missing prerequisite fails the test instead, so a skipped
 * container test can never pass as green there.
 */
public final class RealContainers {
  private RealContainers() {}

  public static void require() {
    boolean runc = Runc.locate() != null;
    boolean root = "root".equals(System.getProperty("user.name"));
    String missing = !runc ? "runc is not installed" : !root ? "not running as root" : null;
    if (missing == null) {
      return;
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("container tests must run under CI, but " + missing);
    }
    assumeTrue(false, "skipping container test: " + missing);
  }
}
