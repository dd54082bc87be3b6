package dev.tarsier.sandbox;

import java.util.Arrays;
import java.util.Optional;

/**
 * The runtimes a sandbox can run, under Lambda's own identifiers so existing templates and scripts work.
 * Whether one is offered on this machine is decided by {@link Runtimes}, which checks the host's toolchains.
 */
public enum RuntimeId {
  JAVA17("java17"),
  JAVA25("java25"),
  NODEJS20("nodejs20.x"),
  PYTHON311("python3.11"),
  PROVIDED_AL2023("provided.al2023"),
  PROVIDED("provided");

  private final String wireName;

  RuntimeId(String wireName) {
    this.wireName = wireName;
  }

  /** The identifier as Lambda spells it, e.g. {@code java17}. */
  public String wireName() {
    return wireName;
  }

  public static Optional<RuntimeId> fromWireName(String name) {
    return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst();
  }
}
