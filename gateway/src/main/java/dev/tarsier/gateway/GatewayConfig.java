package dev.tarsier.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The platform's configuration, built once at start-up from {@code --key value} arguments and
 * {@code TARSIER_*} environment variables (arguments win). Bad values fail with a message naming the key.
 *
 * @param host      the edge's bind address
 * @param port      the edge port; 0 picks a free one
 * @param dataDir   where state, code, objects and sandboxes live
 * @param keepAlive how long idle sandboxes stay warm
 * @param accountConcurrency concurrent executions allowed across all functions
 * @param retryDelays waits before retrying a failed asynchronous event (Lambda: 1 min, then 2 min)
 */
public record GatewayConfig(String host, int port, Path dataDir, Duration keepAlive, int accountConcurrency,
    List<Duration> retryDelays) {

  public GatewayConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    if (accountConcurrency < 1) {
      throw new IllegalArgumentException("account-concurrency must be at least 1, was " + accountConcurrency);
    }
    retryDelays = List.copyOf(retryDelays);
  }

  /** Lambda's defaults for everything but where to listen and keep data. */
  public GatewayConfig(String host, int port, Path dataDir, Duration keepAlive) {
    this(host, port, dataDir, keepAlive, 1000, List.of(Duration.ofMinutes(1), Duration.ofMinutes(2)));
  }

  public static GatewayConfig defaults(Path dataDir) {
    return new GatewayConfig("127.0.0.1", 9070, dataDir, Duration.ofMinutes(10));
  }

  public GatewayConfig withRetryDelays(Duration... delays) {
    return new GatewayConfig(host, port, dataDir, keepAlive, accountConcurrency, List.of(delays));
  }

  public GatewayConfig withAccountConcurrency(int limit) {
    return new GatewayConfig(host, port, dataDir, keepAlive, limit, retryDelays);
  }

  private static final List<String> OPTIONS =
      List.of("host", "port", "data", "keep-alive-seconds", "account-concurrency", "retry-delay-seconds");

  /**
   * Reads {@code --host}, {@code --port}, {@code --data}, {@code --keep-alive-seconds}, {@code --account-concurrency},
   * {@code --retry-delay-seconds} and their {@code TARSIER_*} twins.
   */
  public static GatewayConfig from(String[] args, Map<String, String> env) {
    // A mistyped option must not pass unnoticed: --data-dir for --data would put the data somewhere else.
    Map<String, String> values = new java.util.HashMap<>();
    env.forEach((key, value) -> {
      if (key.startsWith("TARSIER_")) {
        values.put(key.substring("TARSIER_".length()).toLowerCase().replace('_', '-'), value);
      }
    });
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --key value, got " + args[i]);
      }
      String key = args[i].substring(2);
      if (!OPTIONS.contains(key)) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; the options are --" + String.join(", --", OPTIONS));
      }
      values.put(key, args[++i]);
    }
    return new GatewayConfig(
        values.getOrDefault("host", "127.0.0.1"),
        integer(values, "port", 9070),
        Path.of(values.getOrDefault("data", "data")).toAbsolutePath().normalize(),
        Duration.ofSeconds(integer(values, "keep-alive-seconds", 600)),
        integer(values, "account-concurrency", 1000),
        List.of(Duration.ofSeconds(integer(values, "retry-delay-seconds", 60)), Duration.ofSeconds(2L * integer(values, "retry-delay-seconds", 60))));
  }

  private static int integer(Map<String, String> values, String key, int fallback) {
    String value = values.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, was '" + value + "'");
    }
  }
}
