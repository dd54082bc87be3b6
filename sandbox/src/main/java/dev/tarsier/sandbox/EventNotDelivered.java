package dev.tarsier.sandbox;

/**
 * A sandbox went before its runtime received the event (it died, or dropped its {@code /next}). The
 * event was not run, so the pool gives it to another sandbox. Never leaves the module.
 */
final class EventNotDelivered extends RuntimeException {
  EventNotDelivered(String message) {
    super(message, null, false, false);
  }
}
