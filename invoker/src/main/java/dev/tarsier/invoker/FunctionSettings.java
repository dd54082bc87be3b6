package dev.tarsier.invoker;

import java.util.Map;

/**
 * The configuration a caller may set on a function (CreateFunction, UpdateFunctionConfiguration).
 * Null fields mean "not given": on create they take Lambda's defaults, on update they keep the old value.
 */
public record FunctionSettings(
    String runtime,
    String handler,
    Integer memorySize,
    Integer timeout,
    Integer ephemeralStorage,
    String description,
    String role,
    Map<String, String> environment) {

  public static FunctionSettings none() {
    return new FunctionSettings(null, null, null, null, null, null, null, null);
  }
}
