package dev.tarsier.gateway.s3;

import dev.tarsier.invoker.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every S3 handler works with: the metadata (through the state store), the blob files, the
 * notification seam, the clock, and the worker pool that all blocking work goes to. Handlers run on an
 * event loop and reach the rest only through {@link #transaction}, {@link #read} and {@link #blocking}.
 */
final class ObjectStore {
  private static final Logger LOG = Logger.getLogger(ObjectStore.class.getName());
  private final Vertx vertx;
  private final StateStore state;
  private final Blobs blobs;
  private final ObjectEvents events;
  private final Clock clock;
  private final String region;
  /** Whether the transaction running on this worker recorded an event, so {@link ObjectEvents#committed} follows it. */
  private final ThreadLocal<Boolean> recorded = ThreadLocal.withInitial(() -> false);

  ObjectStore(Vertx vertx, StateStore state, Blobs blobs, ObjectEvents events, Clock clock, String region) {
    this.vertx = vertx;
    this.state = state;
    this.blobs = blobs;
    this.events = events;
    this.clock = clock;
    this.region = region;
  }

  Vertx vertx() {
    return vertx;
  }

  Blobs blobs() {
    return blobs;
  }

  String region() {
    return region;
  }

  Instant now() {
    return clock.instant();
  }

  /** Runs blocking work on a worker; unordered, so requests do not queue behind each other. */
  <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  /** Blocking; call from a worker. Tells {@link ObjectEvents#committed} after a commit in which it recorded something. */
  <T> T inTransaction(StateStore.SqlWork<T> work) throws SQLException {
    recorded.set(false);
    T result;
    try {
      result = state.inTransaction(work);
    } catch (SQLException | RuntimeException e) {
      recorded.set(false);
      throw e;
    }
    if (recorded.get()) {
      recorded.set(false);
      try {
        events.committed();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "ObjectEvents.committed failed after a commit; the change stands", e);
      }
    }
    return result;
  }

  private void noteRecorded(boolean recordedNow) {
    if (recordedNow) {
      recorded.set(true);
    }
  }

  /** Blocking; call from a worker. */
  <T> T inRead(StateStore.SqlWork<T> work) throws SQLException {
    return state.read(work);
  }

  <T> Future<T> transaction(StateStore.SqlWork<T> work) {
    return blocking(() -> inTransaction(work));
  }

  <T> Future<T> read(StateStore.SqlWork<T> work) {
    return blocking(() -> state.read(work));
  }

  /**
   * Points {@code bucket/key} at a new object inside the caller's transaction: checks the bucket,
   * stamps a sequencer, writes the row and tells {@link ObjectEvents}. Returns the replaced object's
   * blob (to delete after commit) or null.
   */
  String putObject(Connection c, ObjectRecord object, String eventName, Origin origin) throws SQLException {
    String replaced = ObjectRows.blobInBucket(c, object.bucket(), object.key());
    ObjectRecord stamped = new ObjectRecord(object.bucket(), object.key(), object.blob(), object.size(), object.eTag(),
        object.lastModified(), object.headers(), object.checksum(), object.partSizes(), Catalog.nextSequencer(c));
    ObjectRows.putObject(c, stamped);
    noteRecorded(events.committing(c, new ObjectChanged(stamped.bucket(), stamped.key(), stamped.size(), stamped.eTag(), eventName,
        stamped.sequencer(), null, origin.requestId(), origin.sourceIp(), origin.accessKey(), stamped.lastModified())));
    return replaced;
  }

  /** Removes an object inside the caller's transaction; returns what was removed, or null if nothing was. */
  ObjectRecord removeObject(Connection c, String bucket, String key, Origin origin) throws SQLException {
    ObjectRecord removed = ObjectRows.object(c, bucket, key);
    if (removed == null) {
      return null;
    }
    ObjectRows.deleteObject(c, bucket, key);
    noteRecorded(events.committing(c, new ObjectChanged(bucket, key, 0, null, ObjectChanged.DELETE, Catalog.nextSequencer(c), null,
        origin.requestId(), origin.sourceIp(), origin.accessKey(), now())));
    return removed;
  }

  /** Deletes an empty bucket inside the caller's transaction; returns part blobs to delete after commit. */
  List<String> deleteBucket(Connection c, String bucket) throws SQLException {
    List<String> partBlobs = Catalog.deleteBucket(c, bucket);
    events.bucketDeleted(c, bucket);
    return partBlobs;
  }

  /** Deletes blobs nothing points at any more. A failure only leaks disk space, so it is logged, not raised. */
  void deleteBlobs(List<String> ids) {
    try {
      blobs.delete(ids);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not delete unreferenced blobs " + ids, e);
    }
  }

  /** Who made a change, for its event record. */
  /** Who made a change: the request, the client's address, and the access key it signed with (null when unsigned). */
  record Origin(String requestId, String sourceIp, String accessKey) {}
}
