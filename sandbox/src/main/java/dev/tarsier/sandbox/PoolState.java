package dev.tarsier.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedMap;

/**
 * Everything the pool knows, as an immutable value: its sandboxes by id (in start order), the callers
 * waiting for one (in arrival order), the pre-warm targets and the init failures being held. Only
 * {@link PoolStep} makes a new one.
 *
 * @param nextSandbox  the number the next sandbox id ends with
 */
record PoolState(
    Limits limits,
    SequencedMap<String, Slot> slots,
    List<Waiter> queue,
    Map<String, Prewarm> prewarms,
    Map<String, InitFailure> initFailures,
    long nextSandbox,
    boolean closed) {

  /**
   * @param idPrefix    start of every sandbox id this pool makes, e.g. {@code tsr-3fa2c1-9b0e}
   * @param freezeAfter how long a sandbox is idle before it is frozen, or null where nothing is frozen
   */
  record Limits(long memoryBudgetMb, Duration keepAlive, Duration acquireTimeout, Duration initFailureHold,
      String idPrefix, Duration freezeAfter) {}

  /** Where a sandbox is in its life. {@code PAUSED} is idle and frozen (or being frozen). */
  enum Phase { STARTING, IDLE, PAUSED, BUSY, DESTROYING }

  /**
   * One sandbox as the pool sees it.
   *
   * @param type      why it was started: a provisioned one counts toward its key's pre-warm target, an
   *                  on-demand one never does
   * @param idleSince when it last became idle (its last use), or null if it never was
   * @param retired   its key was retired while it was busy or starting: destroy it when it is released
   */
  record Slot(String id, SandboxSpec spec, InitializationType type, Phase phase, Instant idleSince, boolean retired) {
    Slot with(Phase next) {
      return new Slot(id, spec, type, next, idleSince, retired);
    }

    boolean provisioned() {
      return type == InitializationType.PROVISIONED_CONCURRENCY;
    }

    boolean idle() {
      return phase == Phase.IDLE || phase == Phase.PAUSED;
    }

    String key() {
      return spec.poolKey();
    }
  }

  /** A caller waiting for a sandbox until {@code deadline}. */
  record Waiter(long id, SandboxSpec spec, Instant since, Instant deadline) {}

  /** Keep {@code count} provisioned sandboxes of {@code spec} started, apart from any on-demand ones. */
  record Prewarm(SandboxSpec spec, int count) {}

  /** An init failure answered again instead of retried until {@code until}; {@code strikes} in a row so far. */
  record InitFailure(SandboxFailure.InitFailed failure, Instant at, Instant until, int strikes) {
    /** Whether the key is still held at {@code now}: no sandbox of it starts until then. */
    boolean heldAt(Instant now) {
      return now.isBefore(until);
    }
  }

  static PoolState empty(Limits limits) {
    return new PoolState(limits, java.util.Collections.unmodifiableSequencedMap(new java.util.LinkedHashMap<>()), List.of(), Map.of(), Map.of(), 1, false);
  }

  long count(Phase phase) {
    return slots.values().stream().filter(slot -> slot.phase() == phase).count();
  }

  /** Memory given to sandboxes that are not being destroyed. */
  long committedMb() {
    return slots.values().stream().filter(slot -> slot.phase() != Phase.DESTROYING).mapToLong(slot -> slot.spec().memoryMb()).sum();
  }

  /** Memory of sandboxes being destroyed: taken until they are gone. */
  long releasingMb() {
    return slots.values().stream().filter(slot -> slot.phase() == Phase.DESTROYING).mapToLong(slot -> slot.spec().memoryMb()).sum();
  }

  /** The pool's state in a few words, for error messages: {@code idle=0, busy=8, starting=2, queued=31, memory=3968/4096 MB}. */
  String summary() {
    return String.format(Locale.ROOT, "idle=%d, busy=%d, starting=%d, queued=%d, memory=%d/%d MB",
        count(Phase.IDLE) + count(Phase.PAUSED), count(Phase.BUSY), count(Phase.STARTING), queue.size(),
        committedMb() + releasingMb(), limits.memoryBudgetMb());
  }

  /** How long an idle sandbox of {@code spec} stays warm. */
  Duration keepAlive(SandboxSpec spec) {
    return spec.keepAlive() != null ? spec.keepAlive() : limits.keepAlive();
  }

  /**
   * The earliest moment after {@code now} at which a {@code ClockTicked} would change something, or null.
   * Moments already past are left out: a step at {@code now} has dealt with them (what remains, such as
   * a pre-warmed sandbox past its keep-alive, stays until another event changes the rules).
   */
  Instant nextWake(Instant now) {
    Instant next = null;
    for (Slot slot : slots.values()) {
      if (slot.idle() && slot.idleSince() != null) {
        next = earlier(next, slot.idleSince().plus(keepAlive(slot.spec())), now);
      }
      if (slot.phase() == Phase.IDLE && limits.freezeAfter() != null) {
        next = earlier(next, slot.idleSince().plus(limits.freezeAfter()), now);
      }
    }
    for (Waiter waiter : queue) {
      next = earlier(next, waiter.deadline(), now);
    }
    for (String key : prewarms.keySet()) {
      InitFailure held = initFailures.get(key);
      if (held != null) {
        next = earlier(next, held.until(), now);
      }
    }
    return next;
  }

  private static Instant earlier(Instant current, Instant candidate, Instant now) {
    return candidate.isAfter(now) && (current == null || candidate.isBefore(current)) ? candidate : current;
  }
}
