package dev.tarsier.invoker;

/** What caused an invocation; kept on its record. */
public enum Trigger {
  API, EVENT, S3, URL, CONSOLE, RETRY, DESTINATION;

  public String wireName() {
    return name().toLowerCase();
  }

  public static Trigger fromWireName(String name) {
    return valueOf(name.toUpperCase());
  }
}
