package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real platform for one test class, on real runc: started on port 0 in a fresh data directory before the
 * class's own {@code @BeforeAll} methods, closed after its last test, when no container may be left behind.
 * Register it on a static field with {@code @RegisterExtension}.
 */
final class PlatformExtension implements BeforeAllCallback, AfterAllCallback {
  private final UnaryOperator<GatewayConfig> adjust;
  private final Clock clock;
  private RunningPlatform platform;

  /** The defaults: Lambda's retry delays, 10 minutes' keep-alive, the system clock. */
  PlatformExtension() {
    this(config -> config);
  }

  PlatformExtension(UnaryOperator<GatewayConfig> adjust) {
    this(adjust, Clock.systemUTC());
  }

  PlatformExtension(UnaryOperator<GatewayConfig> adjust, Clock clock) {
    this.adjust = adjust;
    this.clock = clock;
  }

  /** The running platform, from the class's {@code @BeforeAll} methods to its last test. */
  RunningPlatform get() {
    if (platform == null) {
      throw new IllegalStateException("the platform runs from before the class's @BeforeAll methods to after its last test");
    }
    return platform;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    RealContainers.require();
    platform = RunningPlatform.start(adjust, clock);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (platform != null) {
      platform.close();
      assertThat(platform.leftContainers()).as("containers left after the platform stopped").isEmpty();
    }
  }
}
