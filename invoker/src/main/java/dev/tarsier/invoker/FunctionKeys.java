package dev.tarsier.invoker;

/**
 * The access key a function's sandbox signs with when it calls the platform's own APIs. Signatures are
 * not checked; the key only says which function made a call, so a write by a function can be traced
 * back to the bucket event that ran it (the loop guard).
 */
public final class FunctionKeys {
  private static final String PREFIX = "TARSIERFN-";

  private FunctionKeys() {}

  public static String accessKeyOf(String function) {
    return PREFIX + function;
  }

  /** The function a key belongs to, or null for any other key. */
  public static String functionOf(String accessKey) {
    return accessKey != null && accessKey.startsWith(PREFIX) && accessKey.length() > PREFIX.length()
        ? accessKey.substring(PREFIX.length()) : null;
  }
}
