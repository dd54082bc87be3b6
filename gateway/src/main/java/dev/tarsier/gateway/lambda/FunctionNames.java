package dev.tarsier.gateway.lambda;

/**
 * Reads a function name from a path: a plain name, {@code name:qualifier}, a full ARN
 * ({@code arn:aws:lambda:region:account:function:name[:qualifier]}) or a partial one
 * ({@code account:function:name}). The router has already percent-decoded it.
 */
final class FunctionNames {
  private FunctionNames() {}

  static String of(String pathParameter) {
    String value = pathParameter;
    int function = value.indexOf(":function:");
    if (function >= 0) {
      value = value.substring(function + ":function:".length());
    }
    int qualifier = value.indexOf(':');
    return qualifier >= 0 ? value.substring(0, qualifier) : value;
  }
}
