package dev.tarsier.sandbox;

/**
 * Where a function's provisioned concurrency stands in the pool.
 *
 * @param requested the pre-warm target (0 when there is none)
 * @param ready     provisioned sandboxes that have started and serve (idle or busy)
 * @param failure   why its sandboxes cannot start (the init failure being held), or null
 */
public record ProvisionedStatus(int requested, int ready, SandboxFailure failure) {}
