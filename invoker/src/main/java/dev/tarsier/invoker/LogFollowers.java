package dev.tarsier.invoker;

/**
 * Where a function's logs are published as invocations end: one event-bus address per function,
 * carrying the invocation's whole log text (START … REPORT). Followers (the console's live tail,
 * {@code ./tarsier logs --follow}) subscribe to it.
 */
public final class LogFollowers {
  private LogFollowers() {}

  public static String address(String function) {
    return "tarsier.logs." + function;
  }
}
