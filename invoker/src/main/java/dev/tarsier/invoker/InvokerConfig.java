package dev.tarsier.invoker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The invoker's one configuration record.
 *
 * @param dataDir            where code packages live
 * @param region             the region in ARNs
 * @param account            the account id in ARNs
 * @param accountConcurrency concurrent executions for the whole platform (Lambda's account limit)
 * @param retryDelays        waits before the first and second retry of a failed event (Lambda: 1 min, 2 min)
 * @param recordsMaxCount    invocation records kept at most
 * @param recordsMaxAge      invocation records older than this are removed
 */
public record InvokerConfig(Path dataDir, String region, String account, int accountConcurrency, List<Duration> retryDelays,
    int recordsMaxCount, Duration recordsMaxAge) {

  public InvokerConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    if (!account.matches("\\d{12}")) {
      throw new IllegalArgumentException("account must be 12 digits, was " + account);
    }
    if (accountConcurrency < 1) {
      throw new IllegalArgumentException("accountConcurrency must be at least 1, was " + accountConcurrency);
    }
    if (retryDelays.isEmpty()) {
      throw new IllegalArgumentException("retryDelays must name at least one delay");
    }
    retryDelays = List.copyOf(retryDelays);
  }

  public static InvokerConfig defaults(Path dataDir) {
    return new InvokerConfig(dataDir, "us-east-1", "000000000000", 1000, List.of(Duration.ofMinutes(1), Duration.ofMinutes(2)),
        10_000, Duration.ofDays(7));
  }

  public InvokerConfig withAccountConcurrency(int limit) {
    return new InvokerConfig(dataDir, region, account, limit, retryDelays, recordsMaxCount, recordsMaxAge);
  }

  public InvokerConfig withRetryDelays(List<Duration> delays) {
    return new InvokerConfig(dataDir, region, account, accountConcurrency, delays, recordsMaxCount, recordsMaxAge);
  }

  public String functionArn(String name) {
    return "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
  }
}
