package dev.tarsier.sandbox;

/**
 * Why a sandbox was started, as Lambda tells the function in {@code AWS_LAMBDA_INITIALIZATION_TYPE}: for an
 * invocation that found no idle one, or ahead of demand to keep a pre-warm (provisioned concurrency) target.
 */
public enum InitializationType {
  ON_DEMAND("on-demand"),
  PROVISIONED_CONCURRENCY("provisioned-concurrency");

  private final String wireName;

  InitializationType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
