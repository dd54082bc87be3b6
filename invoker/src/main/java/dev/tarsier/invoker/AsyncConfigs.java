package dev.tarsier.invoker;

import dev.tarsier.invoker.store.FunctionOptionsStore;
import java.sql.SQLException;
import java.time.Clock;

/**
 * PutFunctionEventInvokeConfig and its siblings: Lambda's defaults and limits for retries, event age and
 * destinations, over the options store. Blocking: call from a worker, after checking the function exists.
 */
final class AsyncConfigs {
  private final FunctionOptionsStore options;
  private final InvokerConfig config;
  private final Clock clock;

  AsyncConfigs(FunctionOptionsStore options, InvokerConfig config, Clock clock) {
    this.options = options;
    this.config = config;
    this.clock = clock;
  }

  /** Replaces the settings, or with {@code merge} changes only the fields given (non-null). */
  AsyncConfig put(String name, Integer maxRetryAttempts, Integer maxEventAgeSeconds, String onSuccess, String onFailure, boolean merge)
      throws SQLException {
    AsyncConfig base = merge ? options.asyncConfig(name).orElse(AsyncConfig.defaults(name)) : AsyncConfig.defaults(name);
    AsyncConfig updated = new AsyncConfig(name,
        maxRetryAttempts != null ? maxRetryAttempts : base.maxRetryAttempts(),
        maxEventAgeSeconds != null ? maxEventAgeSeconds : base.maxEventAgeSeconds(),
        onSuccess != null ? onSuccess : merge ? base.onSuccess() : null,
        onFailure != null ? onFailure : merge ? base.onFailure() : null,
        clock.millis() / 1000.0);
    if (updated.maxRetryAttempts() < 0 || updated.maxRetryAttempts() > 2) {
      throw new LambdaFailure.InvalidParameterValue("MaximumRetryAttempts must be between 0 and 2, was " + updated.maxRetryAttempts());
    }
    if (updated.maxEventAgeSeconds() < 60 || updated.maxEventAgeSeconds() > 21600) {
      throw new LambdaFailure.InvalidParameterValue(
          "MaximumEventAgeInSeconds must be between 60 and 21600, was " + updated.maxEventAgeSeconds());
    }
    Destinations.check(updated.onSuccess(), "OnSuccess");
    Destinations.check(updated.onFailure(), "OnFailure");
    options.putAsyncConfig(updated);
    return updated;
  }

  AsyncConfig get(String name) throws SQLException {
    return options.asyncConfig(name).orElseThrow(() -> missing(name));
  }

  void delete(String name) throws SQLException {
    if (!options.deleteAsyncConfig(name)) {
      throw missing(name);
    }
  }

  private LambdaFailure.ResourceNotFound missing(String name) {
    return new LambdaFailure.ResourceNotFound("The function " + config.functionArn(name) + " doesn't have an EventInvokeConfig");
  }
}
