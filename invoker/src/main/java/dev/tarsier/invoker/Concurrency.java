package dev.tarsier.invoker;

import java.util.HashMap;
import java.util.Map;

/**
 * Concurrent executions, counted as Lambda counts them: a function with reserved concurrency runs at
 * most that many at once; the others share what the account limit leaves after all reservations.
 * Thread-safe; every method is short and holds the monitor.
 */
final class Concurrency {
  static final String RESERVED_EXCEEDED = "ReservedFunctionConcurrentInvocationLimitExceeded";
  static final String ACCOUNT_EXCEEDED = "ConcurrentInvocationLimitExceeded";

  private final int accountLimit;
  private final Map<String, Integer> reserved = new HashMap<>();
  private final Map<String, Integer> running = new HashMap<>();
  private int unreservedRunning;
  private volatile Runnable onRelease = () -> { };

  Concurrency(int accountLimit) {
    this.accountLimit = accountLimit;
  }

  /** A permit to run one invocation of a function; release it exactly once. */
  final class Permit {
    private final String function;
    private final boolean unreserved;
    private boolean released;

    private Permit(String function, boolean unreserved) {
      this.function = function;
      this.unreserved = unreserved;
    }

    void release() {
      synchronized (Concurrency.this) {
        if (released) {
          throw new IllegalStateException("concurrency permit for " + function + " released twice");
        }
        released = true;
        running.merge(function, -1, Integer::sum);
        if (unreserved) {
          unreservedRunning--;
        }
      }
      onRelease.run();
    }
  }

  /** A permit, or a TooManyRequests failure carrying Lambda's Reason. */
  synchronized Permit acquire(String function) {
    int now = running.getOrDefault(function, 0);
    Integer reservation = reserved.get(function);
    if (reservation != null) {
      if (now >= reservation) {
        throw new LambdaFailure.TooManyRequests("Rate Exceeded.", RESERVED_EXCEEDED);
      }
    } else {
      if (unreservedRunning >= unreservedCapacity()) {
        throw new LambdaFailure.TooManyRequests("Rate Exceeded.", ACCOUNT_EXCEEDED);
      }
      unreservedRunning++;
    }
    running.put(function, now + 1);
    return new Permit(function, reservation == null);
  }

  /** True when a permit for {@code function} would be granted now. */
  synchronized boolean available(String function) {
    Integer reservation = reserved.get(function);
    return reservation != null ? running.getOrDefault(function, 0) < reservation : unreservedRunning < unreservedCapacity();
  }

  /** Called after every release and reservation change, outside the monitor; must be cheap. */
  void onRelease(Runnable listener) {
    onRelease = listener;
  }

  void reserve(String function, Integer concurrency) {
    synchronized (this) {
      reserveLocked(function, concurrency);
    }
    onRelease.run();
  }

  private void reserveLocked(String function, Integer concurrency) {
    if (concurrency == null) {
      reserved.remove(function);
    } else {
      int othersReserved = reserved.entrySet().stream().filter(e -> !e.getKey().equals(function)).mapToInt(Map.Entry::getValue).sum();
      if (othersReserved + concurrency > accountLimit) {
        throw new LambdaFailure.InvalidParameterValue("Specified ReservedConcurrentExecutions for function decreases account's "
            + "UnreservedConcurrentExecution below its minimum value of [0].");
      }
      reserved.put(function, concurrency);
    }
  }

  synchronized Integer reservation(String function) {
    return reserved.get(function);
  }

  synchronized int running() {
    return running.values().stream().mapToInt(Integer::intValue).sum();
  }

  synchronized int accountLimit() {
    return accountLimit;
  }

  synchronized int unreserved() {
    return unreservedCapacity();
  }

  private int unreservedCapacity() {
    return accountLimit - reserved.values().stream().mapToInt(Integer::intValue).sum();
  }
}
