package dev.tarsier.gateway.s3;

/** A verified additional checksum kept with an object or part: its algorithm and base64 value. */
record StoredChecksum(Checksum algorithm, String value) {}
