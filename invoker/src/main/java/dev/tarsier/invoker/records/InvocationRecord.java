package dev.tarsier.invoker.records;

import java.time.Instant;

/**
 * What one invocation left behind: who ran, why, how it ended, what it cost, and its log.
 *
 * @param status       {@code ok}, {@code error}, {@code timeout}, {@code oom}, {@code crash} or {@code throttled}
 * @param trigger      {@code api}, {@code event}, {@code s3}, {@code url}, {@code console}, {@code retry}, {@code destination}
 * @param initMs       runtime init on a cold start, else -1
 * @param createMs     container creation on a cold start, else 0
 * @param queueWaitMs  time from acceptance to the start of the run (async events), or waiting for a sandbox
 * @param request      the event payload, capped at {@link InvocationRecords#MAX_PAYLOAD_CHARS}
 * @param result       the result or error payload, capped likewise
 * @param attempt      1 for the first try of an event, 2 and 3 for retries
 */
public record InvocationRecord(
    String id,
    String function,
    String codeSha256,
    String trigger,
    String status,
    Instant startedAt,
    double durationMs,
    long billedMs,
    double initMs,
    double createMs,
    double queueWaitMs,
    int memorySize,
    long maxMemoryUsedMb,
    boolean cold,
    String request,
    String result,
    String errorType,
    String log,
    int attempt) {}
