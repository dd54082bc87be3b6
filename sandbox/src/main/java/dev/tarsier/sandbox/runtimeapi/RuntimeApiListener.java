package dev.tarsier.sandbox.runtimeapi;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * What one sandbox does with the calls its runtime makes. Called on the context that started the
 * {@link RuntimeApiServer}, one call at a time.
 */
public interface RuntimeApiListener {

  /** The runtime asks for its next event; answer {@code response} now or park it until an event arrives. */
  void nextRequested(HttpServerResponse response);

  /** The runtime answered event {@code requestId}; returns false when that id is not the event in flight. */
  boolean responded(String requestId, Buffer payload);

  /** The handler failed on event {@code requestId}; returns false when that id is not the event in flight. */
  boolean failed(String requestId, String errorType, Buffer payload);

  /** The runtime could not initialise; returns false when it is past init. */
  boolean initFailed(String errorType, Buffer payload);

  /** The runtime dropped a connection that held a parked {@code /next}. */
  void nextAbandoned(HttpServerResponse response);
}
