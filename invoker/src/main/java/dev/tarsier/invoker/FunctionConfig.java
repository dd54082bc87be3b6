package dev.tarsier.invoker;

import java.util.Map;

/**
 * A function as stored: its settings with every default applied, and its code's identity.
 *
 * @param codeSha256   hex SHA-256 of the uploaded zip
 * @param codeSize     bytes of the uploaded zip
 * @param lastModified when the function was last changed, in Lambda's format
 * @param revisionId   changes on every update
 */
public record FunctionConfig(
    String name,
    String runtime,
    String handler,
    int memorySize,
    int timeout,
    int ephemeralStorage,
    String description,
    String role,
    Map<String, String> environment,
    String codeSha256,
    long codeSize,
    String lastModified,
    String revisionId) {

  public FunctionConfig {
    environment = Map.copyOf(environment);
  }

  /** Identity of interchangeable sandboxes: any change of code or configuration gives a new key. */
  public String poolKey() {
    return name + "|" + codeSha256 + "|" + runtime + "|" + handler + "|" + memorySize + "|" + timeout + "|"
        + ephemeralStorage + "|" + new java.util.TreeMap<>(environment);
  }
}
