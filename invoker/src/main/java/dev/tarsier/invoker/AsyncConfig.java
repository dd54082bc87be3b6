package dev.tarsier.invoker;

/**
 * A function's asynchronous invocation settings (PutFunctionEventInvokeConfig).
 *
 * @param maxRetryAttempts   retries after a failed run, 0–2 (Lambda's default is 2)
 * @param maxEventAgeSeconds how long an event may wait, 60–21600 (default 21600)
 * @param onSuccess          destination ARN for successful events, or null
 * @param onFailure          destination ARN for events given up, or null
 * @param lastModified       epoch seconds of the last change
 */
public record AsyncConfig(String function, int maxRetryAttempts, int maxEventAgeSeconds, String onSuccess, String onFailure,
    double lastModified) {

  public static AsyncConfig defaults(String function) {
    return new AsyncConfig(function, 2, 21600, null, null, 0);
  }
}
