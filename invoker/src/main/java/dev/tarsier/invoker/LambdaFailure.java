package dev.tarsier.invoker;

/**
 * Every failure the invoker reports to a caller, in Lambda's terms. A closed set: the gateway maps
 * each to its HTTP status and {@code x-amzn-ErrorType} in one exhaustive switch.
 */
public abstract sealed class LambdaFailure extends RuntimeException {

  LambdaFailure(String message) {
    super(message);
  }

  LambdaFailure(String message, Throwable cause) {
    super(message, cause);
  }

  public static final class ResourceNotFound extends LambdaFailure {
    public ResourceNotFound(String message) {
      super(message);
    }
  }

  public static final class ResourceConflict extends LambdaFailure {
    public ResourceConflict(String message) {
      super(message);
    }
  }

  public static final class InvalidParameterValue extends LambdaFailure {
    public InvalidParameterValue(String message) {
      super(message);
    }
  }

  public static final class RequestEntityTooLarge extends LambdaFailure {
    public RequestEntityTooLarge(String message) {
      super(message);
    }
  }

  public static final class TooManyRequests extends LambdaFailure {
    private final String reason;

    public TooManyRequests(String message, String reason) {
      super(message);
      this.reason = reason;
    }

    /** Lambda's {@code Reason}, e.g. {@code ReservedFunctionConcurrentInvocationLimitExceeded}. */
    public String reason() {
      return reason;
    }
  }

  /** Something on our side failed; the message says what, for the operator. */
  public static final class ServiceFailure extends LambdaFailure {
    public ServiceFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
