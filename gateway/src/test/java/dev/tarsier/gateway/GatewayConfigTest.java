package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {
  @Test
  void readsOptionsBeforeTheirEnvironmentTwins() {
    GatewayConfig config = GatewayConfig.from(new String[] {"--port", "9999", "--data", "/tmp/tarsier-data"},
        Map.of("TARSIER_PORT", "1234", "TARSIER_KEEP_ALIVE_SECONDS", "30", "TARSIER_ENDPOINT", "http://127.0.0.1:9070"));

    assertThat(config.port()).isEqualTo(9999);
    assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/tarsier-data"));
    assertThat(config.keepAlive()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void refusesAnUnknownOptionAndNamesTheKnownOnes() {
    assertThatThrownBy(() -> GatewayConfig.from(new String[] {"--data-dir", "/tmp/x"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown option --data-dir; the options are --host, --port, --data, --keep-alive-seconds, "
            + "--account-concurrency, --retry-delay-seconds");
  }

  @Test
  void refusesANumberThatIsNot() {
    assertThatThrownBy(() -> GatewayConfig.from(new String[] {"--port", "ninety"}, Map.of()))
        .hasMessage("port must be a number, was 'ninety'");
  }
}
