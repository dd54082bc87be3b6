package dev.tarsier.invoker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The invoker's one configuration record.
 *
 * @param dataDir where the state store and code packages live
 * @param region  the region in ARNs
 * @param account the account id in ARNs
 */
public record InvokerConfig(Path dataDir, String region, String account) {

  public InvokerConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    if (!account.matches("\\d{12}")) {
      throw new IllegalArgumentException("account must be 12 digits, was " + account);
    }
  }

  public static InvokerConfig defaults(Path dataDir) {
    return new InvokerConfig(dataDir, "us-east-1", "000000000000");
  }

  public String functionArn(String name) {
    return "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
  }
}
