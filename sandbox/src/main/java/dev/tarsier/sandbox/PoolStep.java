package dev.tarsier.sandbox;

import dev.tarsier.sandbox.PoolEffect.Destroy;
import dev.tarsier.sandbox.PoolEffect.FailWaiter;
import dev.tarsier.sandbox.PoolEffect.Freeze;
import dev.tarsier.sandbox.PoolEffect.HandOver;
import dev.tarsier.sandbox.PoolEffect.StartSandbox;
import dev.tarsier.sandbox.PoolEvent.AcquireRequested;
import dev.tarsier.sandbox.PoolEvent.ClockTicked;
import dev.tarsier.sandbox.PoolEvent.KeyRetired;
import dev.tarsier.sandbox.PoolEvent.PoolClosed;
import dev.tarsier.sandbox.PoolEvent.PrewarmSet;
import dev.tarsier.sandbox.PoolEvent.RunEnded;
import dev.tarsier.sandbox.PoolEvent.SandboxExited;
import dev.tarsier.sandbox.PoolEvent.SandboxFailedToStart;
import dev.tarsier.sandbox.PoolEvent.SandboxRemoved;
import dev.tarsier.sandbox.PoolEvent.SandboxStarted;
import dev.tarsier.sandbox.PoolState.InitFailure;
import dev.tarsier.sandbox.PoolState.Phase;
import dev.tarsier.sandbox.PoolState.Prewarm;
import dev.tarsier.sandbox.PoolState.Slot;
import dev.tarsier.sandbox.PoolState.Waiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step of the pool's state machine: the state and an event in, the next state and the effects to
 * perform out. Pure: no I/O, no clock, no Vert.x, so every rule of the pool is tested by feeding events.
 *
 * <p>The rules, applied after every event: each waiter, oldest first, gets an idle sandbox of its key (a
 * provisioned one first, then the most recently used); else it waits for one of its key that is starting;
 * else a new one is started if the memory budget allows, evicting idle sandboxes of other keys
 * least-recently-used first to make room. Once a waiter cannot get memory, later waiters may still take
 * idle sandboxes but start none, so a big function is not starved by small ones. Pre-warm (provisioned
 * concurrency) targets are topped up with memory nobody waits for, evicting idle sandboxes nobody keeps,
 * and not while an init failure of theirs is held; they count provisioned sandboxes only, never on-demand
 * ones, as Lambda keeps the two apart. On a clock tick, sandboxes idle past their keep-alive are destroyed
 * (provisioned ones within their target excepted), those idle past the freeze delay are frozen (a busy
 * function's sandboxes never are), and waiters past their deadline fail with the pool's state.
 *
 * <p>All of the pool's rules are here, in one place, which is why this file is longer than most.
 */
record PoolStep(PoolState state, List<PoolEffect> effects) {
  /** Init failures are held at most this many times the configured hold. */
  private static final int MAX_HOLD_FACTOR = 12;

  static PoolStep of(PoolState state, PoolEvent event) {
    Draft draft = new Draft(state, event.now());
    switch (event) {
      case AcquireRequested e -> draft.acquire(e);
      case SandboxStarted e -> draft.started(e.sandboxId());
      case SandboxFailedToStart e -> draft.failedToStart(e.sandboxId(), e.failure());
      case RunEnded e -> draft.runEnded(e.sandboxId(), e.reusable());
      case SandboxExited e -> draft.exited(e.sandboxId());
      case SandboxRemoved e -> draft.slots.remove(e.sandboxId());
      case ClockTicked e -> { }
      case PrewarmSet e -> draft.prewarm(e.spec(), e.count());
      case KeyRetired e -> draft.retire(e.poolKey());
      case PoolClosed e -> draft.close();
    }
    // Every event carries the time, so expiry is checked on each step, not only when a timer ticks.
    draft.expire();
    draft.dispatch();
    return new PoolStep(draft.build(), List.copyOf(draft.effects));
  }

  /** The state being changed by one step. */
  private static final class Draft {
    final PoolState.Limits limits;
    final Instant now;
    final LinkedHashMap<String, Slot> slots;
    final List<Waiter> queue;
    final Map<String, Prewarm> prewarms;
    final Map<String, InitFailure> initFailures;
    final List<PoolEffect> effects = new ArrayList<>();
    long nextSandbox;
    boolean closed;

    Draft(PoolState state, Instant now) {
      this.limits = state.limits();
      this.now = now;
      this.slots = new LinkedHashMap<>(state.slots());
      this.queue = new ArrayList<>(state.queue());
      this.prewarms = new HashMap<>(state.prewarms());
      this.initFailures = new HashMap<>(state.initFailures());
      this.nextSandbox = state.nextSandbox();
      this.closed = state.closed();
    }

    PoolState build() {
      return new PoolState(limits, Collections.unmodifiableSequencedMap(new LinkedHashMap<>(slots)), List.copyOf(queue), Map.copyOf(prewarms), Map.copyOf(initFailures), nextSandbox, closed);
    }

    void acquire(AcquireRequested e) {
      SandboxSpec spec = e.spec();
      if (closed) {
        effects.add(new FailWaiter(e.waiterId(), new SandboxFailure.StartFailed("the pool is closed", null)));
      } else if (spec.memoryMb() > limits.memoryBudgetMb()) {
        effects.add(new FailWaiter(e.waiterId(), new SandboxFailure.PoolExhausted("no sandbox for " + spec.functionName()
            + ": it needs " + spec.memoryMb() + " MB and the pool's whole memory budget is " + limits.memoryBudgetMb() + " MB")));
      } else {
        queue.add(new Waiter(e.waiterId(), spec, now, now.plus(limits.acquireTimeout())));
      }
    }

    void started(String id) {
      Slot slot = slots.get(id);
      if (slot == null || slot.phase() != Phase.STARTING) {
        notAllowed(id, slot, "reported started");
        return;
      }
      initFailures.remove(slot.key());
      Waiter waiter = firstWaiter(slot.key());
      if (waiter != null) {
        queue.remove(waiter);
        slots.put(id, slot.with(Phase.BUSY));
        effects.add(new HandOver(waiter.id(), id, true, false));
      } else if (slot.retired() || closed) {
        destroy(slot, "its function changed while it started");
      } else {
        becomeIdle(slot);
      }
    }

    void failedToStart(String id, SandboxFailure failure) {
      Slot slot = slots.get(id);
      if (slot == null) {
        return;
      }
      destroy(slot, "failed to start: " + failure.getMessage());
      Waiter first = firstWaiter(slot.key());
      if (first != null) {
        queue.remove(first);
        effects.add(new FailWaiter(first.id(), failure));
      }
      if (failure instanceof SandboxFailure.InitFailed initFailed) {
        InitFailure previous = initFailures.get(slot.key());
        int strikes = previous == null ? 1 : previous.strikes() + 1;
        Duration hold = limits.initFailureHold().multipliedBy(Math.min(MAX_HOLD_FACTOR, 1L << Math.min(strikes - 1, 10)));
        initFailures.put(slot.key(), new InitFailure(initFailed, now, now.plus(hold), strikes));
      }
    }

    void runEnded(String id, boolean reusable) {
      Slot slot = slots.get(id);
      if (slot == null || slot.phase() == Phase.DESTROYING) {
        return;
      }
      if (slot.phase() != Phase.BUSY) {
        notAllowed(id, slot, "ended a run");
      } else if (!reusable) {
        destroy(slot, "its run ended the runtime");
      } else if (slot.retired() || closed) {
        destroy(slot, "its function changed");
      } else {
        becomeIdle(slot);
      }
    }

    void exited(String id) {
      Slot slot = slots.get(id);
      // A starting sandbox that exits reports it through its start; a destroyed one is already going.
      if (slot != null && slot.phase() != Phase.STARTING && slot.phase() != Phase.DESTROYING) {
        destroy(slot, "its runtime exited");
      }
    }

    void expire() {
      if (closed) {
        return;
      }
      for (Slot slot : List.copyOf(slots.values())) {
        if (slot.idle() && !now.isBefore(slot.idleSince().plus(keepAlive(slot.spec()))) && !kept(slot)) {
          destroy(slot, "idle for " + keepAlive(slot.spec()).toSeconds() + " s");
        } else if (slot.phase() == Phase.IDLE && limits.freezeAfter() != null
            && !now.isBefore(slot.idleSince().plus(limits.freezeAfter()))) {
          slots.put(slot.id(), slot.with(Phase.PAUSED));
          effects.add(new Freeze(slot.id()));
        }
      }
      List<Waiter> late = queue.stream().filter(waiter -> !now.isBefore(waiter.deadline())).toList();
      if (!late.isEmpty()) {
        String summary = build().summary();
        for (Waiter waiter : late) {
          queue.remove(waiter);
          effects.add(new FailWaiter(waiter.id(), new SandboxFailure.PoolExhausted("no sandbox for " + waiter.spec().functionName()
              + " within " + limits.acquireTimeout().toMillis() + " ms (" + summary + ")")));
        }
      }
      initFailures.values().removeIf(failure -> now.isAfter(failure.until().plus(limits.initFailureHold().multipliedBy(MAX_HOLD_FACTOR))));
    }

    void prewarm(SandboxSpec spec, int count) {
      if (count <= 0) {
        prewarms.remove(spec.poolKey());
      } else {
        prewarms.put(spec.poolKey(), new Prewarm(spec, count));
      }
    }

    void retire(String key) {
      prewarms.remove(key);
      initFailures.remove(key);
      for (Slot slot : List.copyOf(slots.values())) {
        if (!slot.key().equals(key)) {
          continue;
        }
        if (slot.idle()) {
          destroy(slot, "its function changed");
        } else if (slot.phase() == Phase.BUSY || slot.phase() == Phase.STARTING) {
          slots.put(slot.id(), new Slot(slot.id(), slot.spec(), slot.type(), slot.phase(), slot.idleSince(), true));
        }
      }
    }

    void close() {
      closed = true;
      prewarms.clear();
      for (Waiter waiter : queue) {
        effects.add(new FailWaiter(waiter.id(), new SandboxFailure.StartFailed("the pool is closed", null)));
      }
      queue.clear();
      for (Slot slot : List.copyOf(slots.values())) {
        if (slot.phase() != Phase.DESTROYING) {
          destroy(slot, "the pool is closing");
        }
      }
    }

    /** Serves waiters in arrival order, then tops up pre-warm targets. */
    void dispatch() {
      if (closed) {
        return;
      }
      Map<String, Integer> unclaimed = new HashMap<>();
      slots.values().stream().filter(slot -> slot.phase() == Phase.STARTING && !slot.retired())
          .forEach(slot -> unclaimed.merge(slot.key(), 1, Integer::sum));
      boolean memoryBlocked = false;
      for (Waiter waiter : List.copyOf(queue)) {
        memoryBlocked = serve(waiter, unclaimed, memoryBlocked);
      }
      if (!memoryBlocked) {
        topUpPrewarms();
      }
    }

    /** Returns whether waiters after this one must not take new memory. */
    private boolean serve(Waiter waiter, Map<String, Integer> unclaimed, boolean memoryBlocked) {
      String key = waiter.spec().poolKey();
      InitFailure held = initFailures.get(key);
      if (held != null && held.heldAt(now)) {
        queue.remove(waiter);
        effects.add(new FailWaiter(waiter.id(), held.failure().repeated(heldNote(waiter.spec(), held))));
        return memoryBlocked;
      }
      Slot idle = idleFor(key);
      if (idle != null) {
        queue.remove(waiter);
        slots.put(idle.id(), idle.with(Phase.BUSY));
        effects.add(new HandOver(waiter.id(), idle.id(), false, idle.phase() == Phase.PAUSED));
        return memoryBlocked;
      }
      int starting = unclaimed.getOrDefault(key, 0);
      if (starting > 0) {
        unclaimed.put(key, starting - 1);
        return memoryBlocked;
      }
      if (memoryBlocked) {
        return true;
      }
      int memoryMb = waiter.spec().memoryMb();
      evictFor(memoryMb);
      if (!fits(memoryMb)) {
        return true;
      }
      start(waiter.spec(), InitializationType.ON_DEMAND);
      return false;
    }

    private void topUpPrewarms() {
      for (Prewarm prewarm : prewarms.values()) {
        InitFailure held = initFailures.get(prewarm.spec().poolKey());
        if (held != null && held.heldAt(now)) {
          continue;
        }
        int memoryMb = prewarm.spec().memoryMb();
        for (long live = liveProvisioned(prewarm.spec().poolKey()); live < prewarm.count(); live++) {
          evictFor(memoryMb);
          if (!fits(memoryMb)) {
            break;
          }
          start(prewarm.spec(), InitializationType.PROVISIONED_CONCURRENCY);
        }
      }
    }

    private void start(SandboxSpec spec, InitializationType type) {
      String id = limits.idPrefix() + "-" + nextSandbox++;
      slots.put(id, new Slot(id, spec, type, Phase.STARTING, null, false));
      effects.add(new StartSandbox(id, spec, type));
    }

    /**
     * Destroys idle sandboxes no pre-warm target keeps, least recently used first, until {@code memoryMb}
     * more would be within budget; or none, when all of them would not make that room. While busy
     * sandboxes hold the memory, evicting would cost other functions their warm sandboxes for nothing,
     * and again each time one went idle.
     */
    private void evictFor(int memoryMb) {
      long needed = committedMb() + memoryMb - limits.memoryBudgetMb();
      List<Slot> evictable = slots.values().stream().filter(slot -> slot.idle() && !kept(slot))
          .sorted(java.util.Comparator.comparing(Slot::idleSince)).toList();
      if (needed <= 0 || evictable.stream().mapToLong(slot -> slot.spec().memoryMb()).sum() < needed) {
        return;
      }
      for (Slot victim : evictable) {
        if (needed <= 0) {
          return;
        }
        destroy(victim, "evicted, least recently used, to make room for " + memoryMb + " MB");
        needed -= victim.spec().memoryMb();
      }
    }

    private boolean fits(int memoryMb) {
      return committedMb() + releasingMb() + memoryMb <= limits.memoryBudgetMb();
    }

    private long committedMb() {
      return slots.values().stream().filter(slot -> slot.phase() != Phase.DESTROYING).mapToLong(slot -> slot.spec().memoryMb()).sum();
    }

    private long releasingMb() {
      return slots.values().stream().filter(slot -> slot.phase() == Phase.DESTROYING).mapToLong(slot -> slot.spec().memoryMb()).sum();
    }

    /**
     * Whether a pre-warm target protects this idle sandbox from expiry and eviction: only a provisioned one,
     * and only among the oldest {@code count} of its key, so a lowered target lets the newest extras go
     * and never the ones it keeps.
     */
    private boolean kept(Slot slot) {
      Prewarm prewarm = prewarms.get(slot.key());
      return prewarm != null && slot.provisioned()
          && liveProvisionedSlots(slot.key()).limit(prewarm.count()).anyMatch(kept -> kept.id().equals(slot.id()));
    }

    private long liveProvisioned(String key) {
      return liveProvisionedSlots(key).count();
    }

    /** The provisioned sandboxes of {@code key} that are not going, oldest first. */
    private java.util.stream.Stream<Slot> liveProvisionedSlots(String key) {
      return slots.values().stream()
          .filter(slot -> slot.key().equals(key) && slot.provisioned() && slot.phase() != Phase.DESTROYING && !slot.retired());
    }

    /**
     * The idle sandbox a caller of {@code key} gets: a provisioned one first, as Lambda serves from provisioned
     * concurrency before it spills over, so on-demand ones idle out; among equals, the most recently used.
     */
    private Slot idleFor(String key) {
      Slot best = null;
      for (Slot slot : slots.values()) {
        if (slot.idle() && slot.key().equals(key) && (best == null || better(slot, best))) {
          best = slot;
        }
      }
      return best;
    }

    private static boolean better(Slot slot, Slot than) {
      if (slot.provisioned() != than.provisioned()) {
        return slot.provisioned();
      }
      return slot.idleSince().isAfter(than.idleSince());
    }

    private Waiter firstWaiter(String key) {
      return queue.stream().filter(waiter -> waiter.spec().poolKey().equals(key)).findFirst().orElse(null);
    }

    private void becomeIdle(Slot slot) {
      slots.put(slot.id(), new Slot(slot.id(), slot.spec(), slot.type(), Phase.IDLE, now, slot.retired()));
    }

    private void destroy(Slot slot, String reason) {
      slots.put(slot.id(), slot.with(Phase.DESTROYING));
      effects.add(new Destroy(slot.id(), reason));
    }

    /** A transition the rules do not allow: the sandbox goes, and the reason is logged. */
    private void notAllowed(String id, Slot slot, String what) {
      if (slot == null) {
        return;
      }
      destroy(slot, "sandbox " + id + " " + what + " while " + slot.phase().name().toLowerCase(java.util.Locale.ROOT));
    }

    private Duration keepAlive(SandboxSpec spec) {
      return spec.keepAlive() != null ? spec.keepAlive() : limits.keepAlive();
    }

    private String heldNote(SandboxSpec spec, InitFailure held) {
      return "The last init of " + spec.functionName() + " failed at " + held.at() + " (" + held.strikes()
          + (held.strikes() == 1 ? " failure" : " failures in a row") + "); it is not retried before " + held.until()
          + " unless its code or configuration changes.\n";
    }
  }
}
