package dev.tarsier.gateway;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Browser tests need Debian's Chromium and its driver ({@code apt-get install chromium chromium-driver},
 * which {@code .ci/run} does). Where either is missing on a developer's machine the tests are skipped;
 * under CI ({@code CI=true}) a missing one fails them, as with {@link RealContainers}.
 */
final class RealBrowser {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private RealBrowser() {}

  static void require() {
    String missing = !Files.isExecutable(CHROMIUM) ? CHROMIUM + " is not installed"
        : !Files.isExecutable(CHROMEDRIVER) ? CHROMEDRIVER + " is not installed" : null;
    if (missing == null) {
      return;
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("browser tests must run under CI, but " + missing);
    }
    assumeTrue(false, "skipping browser test: " + missing);
  }
}
