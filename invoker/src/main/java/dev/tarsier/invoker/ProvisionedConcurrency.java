package dev.tarsier.invoker;

import dev.tarsier.sandbox.ProvisionedStatus;
import java.time.Instant;

/**
 * A function's provisioned concurrency as Lambda reports it: how many sandboxes were asked for, how many
 * are started and serving, and whether that is done, still going, or cannot happen.
 *
 * @param statusReason why it failed (the init failure), or null unless {@code FAILED}
 * @param lastModified when the configuration was last put
 */
public record ProvisionedConcurrency(int requested, int allocated, Status status, String statusReason, Instant lastModified) {

  /** Lambda's {@code Status} values. */
  public enum Status { IN_PROGRESS, READY, FAILED }

  static ProvisionedConcurrency of(int requested, ProvisionedStatus pool, Instant lastModified) {
    int allocated = Math.min(requested, pool.ready());
    if (pool.failure() != null && allocated < requested) {
      return new ProvisionedConcurrency(requested, allocated, Status.FAILED, pool.failure().getMessage().strip(), lastModified);
    }
    return new ProvisionedConcurrency(requested, allocated, allocated >= requested ? Status.READY : Status.IN_PROGRESS, null, lastModified);
  }
}
