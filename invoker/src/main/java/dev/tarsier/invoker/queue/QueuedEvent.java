package dev.tarsier.invoker.queue;

import java.time.Instant;

/**
 * An accepted asynchronous event, as stored until it is delivered or given up.
 *
 * @param id         the request id; the same on every attempt, so a function can de-duplicate
 * @param function   the function's name
 * @param payload    the event bytes
 * @param trigger    why it was queued (event, s3, destination, …)
 * @param attempts   how many runs have been made
 * @param enqueuedAt when it was accepted; max event age counts from here
 * @param dueAt      when the next attempt may start
 * @param depth      how many bucket events led to this one through functions writing objects (0 for a first one)
 */
public record QueuedEvent(String id, String function, byte[] payload, String trigger, int attempts, Instant enqueuedAt, Instant dueAt,
    int depth) {}
