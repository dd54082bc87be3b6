package dev.tarsier.invoker;

import dev.tarsier.invoker.queue.EventStore;
import dev.tarsier.invoker.queue.QueuedEvent;
import dev.tarsier.sandbox.Invocation;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers queued asynchronous events: claims due ones while their functions have concurrency to
 * spare (a throttled event simply waits), runs them, then removes them, retries them with back-off,
 * or gives them up to their OnFailure destination when retries or the maximum age run out. All
 * dispatch state lives on this verticle's context.
 */
final class EventDispatcher extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(EventDispatcher.class.getName());
  private static final int BATCH = 64;

  /** What the dispatcher needs from the invoker, for one event at a time. */
  interface Runner {
    /** The function and its async settings, or null when the function is gone (worker thread). */
    Target target(String function) throws Exception;

    /** Runs the event holding {@code permit}. */
    Future<Invocations.Completed> run(Target target, Invocation invocation, Invocations.Context context, Concurrency.Permit permit);
  }

  record Target(FunctionConfig function, AsyncConfig async) {}

  private final Clock clock;
  private final EventStore events;
  private final Concurrency concurrency;
  private final Destinations destinations;
  private final List<Duration> retryDelays;
  private final Runner runner;
  private final Set<String> inFlight = new HashSet<>();
  private boolean pumping;
  private boolean again;
  /** Set when a due event had to wait for concurrency: a released permit is then worth a look at the queue. */
  private volatile boolean throttledWaiting;
  private long timer = -1;

  EventDispatcher(Clock clock, EventStore events, Concurrency concurrency, Destinations destinations, List<Duration> retryDelays,
      Runner runner) {
    this.clock = clock;
    this.events = events;
    this.concurrency = concurrency;
    this.destinations = destinations;
    this.retryDelays = List.copyOf(retryDelays);
    this.runner = runner;
    concurrency.onRelease(() -> {
      if (throttledWaiting) {
        wake();
      }
    });
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(events::requeueInterrupted).onSuccess(requeued -> {
      if (requeued > 0) {
        LOG.info("re-queued " + requeued + " event(s) whose delivery a previous run did not finish");
      }
      pump();
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /** Looks for due events now; safe to call from any thread. */
  void wake() {
    if (context != null) {
      context.runOnContext(v -> pump());
    }
  }

  private void pump() {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    vertx.executeBlocking(() -> events.due(clock.instant(), BATCH + inFlight.size()))
        .onComplete(due -> {
          if (due.succeeded()) {
            boolean throttled = false;
            for (QueuedEvent event : due.result()) {
              if (inFlight.contains(event.id())) {
                continue;
              }
              if (concurrency.available(event.function())) {
                start(event);
              } else {
                throttled = true;
              }
            }
            throttledWaiting = throttled;
          } else {
            LOG.log(Level.WARNING, "could not read the event queue", due.cause());
          }
          pumping = false;
          if (again) {
            again = false;
            pump();
          } else {
            scheduleNext();
          }
        });
  }

  private void scheduleNext() {
    vertx.executeBlocking(events::depth).onSuccess(depth -> {
      vertx.cancelTimer(timer);
      if (depth.nextDue() == null) {
        return;
      }
      // Events already due are waiting for concurrency; a released permit wakes the dispatcher, this is a fallback.
      long untilDue = Duration.between(clock.instant(), depth.nextDue()).toMillis();
      long delay = untilDue <= 0 ? 1000 : Math.max(5, Math.min(1000, untilDue));
      timer = vertx.setTimer(delay, t -> pump());
    });
  }

  private void start(QueuedEvent event) {
    Concurrency.Permit permit;
    try {
      permit = concurrency.acquire(event.function());
    } catch (LambdaFailure.TooManyRequests throttled) {
      return;
    }
    inFlight.add(event.id());
    vertx.executeBlocking(() -> claim(event))
        .compose(target -> {
          if (target == null) {
            permit.release();
            return Future.<Void>succeededFuture();
          }
          return run(event, target, permit);
        })
        .onComplete(done -> {
          if (done.failed()) {
            LOG.log(Level.WARNING, "event " + event.id() + " for " + event.function() + " could not be handled", done.cause());
          }
          inFlight.remove(event.id());
          pump();
        });
  }

  /** Claims the event and finds its function; null when it was taken meanwhile or its function is gone (then it is dropped). */
  private Target claim(QueuedEvent event) throws Exception {
    if (!events.claim(event.id())) {
      return null;
    }
    Target target = runner.target(event.function());
    if (target == null) {
      LOG.warning("dropping event " + event.id() + ": function " + event.function() + " no longer exists");
      events.remove(event.id());
    }
    return target;
  }

  private Future<Void> run(QueuedEvent event, Target target, Concurrency.Permit permit) {
    Instant now = clock.instant();
    if (Duration.between(event.enqueuedAt(), now).getSeconds() >= target.async().maxEventAgeSeconds()) {
      permit.release();
      return giveUp(event, target, "EventAgeExceeded", null, event.attempts());
    }
    Trigger trigger = event.attempts() == 0 ? Trigger.fromWireName(event.trigger()) : Trigger.RETRY;
    Invocation invocation = new Invocation(event.id(), Buffer.buffer(event.payload()), "application/json", null);
    Invocations.Context context = new Invocations.Context(trigger, event.attempts() + 1, event.enqueuedAt(), false, event.depth());
    return runner.run(target, invocation, context, permit).transform(done -> {
      int attempts = event.attempts() + 1;
      boolean failed = done.failed() || done.result().failed();
      if (!failed) {
        return finish(event, target.async().onSuccess(), "Success", done.result().response(), attempts);
      }
      InvokeResponse response = done.succeeded() ? done.result().response() : null;
      if (attempts > target.async().maxRetryAttempts()) {
        return giveUp(event, target, "RetriesExhausted", response, attempts);
      }
      Duration delay = retryDelays.get(Math.min(attempts - 1, retryDelays.size() - 1));
      return vertx.executeBlocking(() -> {
        events.reschedule(event.id(), attempts, clock.instant().plus(delay));
        return null;
      });
    });
  }

  private Future<Void> giveUp(QueuedEvent event, Target target, String condition, InvokeResponse response, int attempts) {
    LOG.info("giving up event " + event.id() + " for " + event.function() + ": " + condition + " after " + attempts + " attempt(s)");
    return finish(event, target.async().onFailure(), condition, response, attempts);
  }

  private Future<Void> finish(QueuedEvent event, String destination, String condition, InvokeResponse response, int attempts) {
    return vertx.executeBlocking(() -> {
      if (destination != null) {
        try {
          destinations.deliver(destination, condition, event, response, attempts);
        } catch (Exception e) {
          LOG.log(Level.WARNING, "could not deliver event " + event.id() + " to " + destination, e);
        }
      }
      events.remove(event.id());
      return null;
    });
  }
}
