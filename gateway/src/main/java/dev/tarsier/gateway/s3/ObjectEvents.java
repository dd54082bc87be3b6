package dev.tarsier.gateway.s3;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The seam for bucket notifications: told of every object change while the change's own transaction is
 * still open, so whatever it records (an event enqueued for delivery) commits or rolls back together
 * with the object's metadata. Nothing is lost between "stored" and "will be delivered".
 *
 * <p>Called on a worker thread, inside {@code StateStore.inTransaction}, with that transaction's
 * connection. Must not commit, roll back or close the connection, and should be quick: the store's one
 * connection is held meanwhile. Throwing rolls the change back and the client gets a 500 InternalError.
 * Deleting a key that does not exist changes nothing and is not reported.
 */
@FunctionalInterface
public interface ObjectEvents {
  /** Records nothing: the default until notifications are wired. */
  ObjectEvents NONE = (transaction, change) -> false;

  /**
   * Returns whether it recorded something to act on once the transaction commits (an event queued);
   * only then does {@link #committed} follow. Most changes match no rule, and a store taking a thousand
   * small PUTs a second should not wake the queue a thousand times to find it empty.
   */
  boolean committing(Connection transaction, ObjectChanged change) throws SQLException;

  /**
   * Called once after a transaction in which {@link #committing} recorded something has committed (on
   * the same worker thread), so what was recorded can be acted on now: wake a queue. A failure here is
   * logged; the change stands and the client is told it succeeded.
   */
  default void committed() {}

  /**
   * Called inside the transaction that deletes an (empty) bucket, so state kept per bucket (such as its
   * notification rules) goes with it. Throwing rolls the deletion back.
   */
  default void bucketDeleted(Connection transaction, String bucket) throws SQLException {}
}
