package dev.tarsier.gateway.s3;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;

/**
 * Where a decoded upload goes while it streams in, digested on the way. Held in memory up to
 * {@link #HOLD_LIMIT} (so a small object costs one trip to a worker, at commit) and digested on the event
 * loop; beyond that, spilled to a temporary file in {@link #BATCH}-sized pieces that workers digest and
 * write one after another, so a large upload's MD5 runs beside the socket reads instead of between them,
 * and the file is written in large pieces by one thread at a time (Vert.x's AsyncFile wrote each network
 * buffer from whichever of 20 workers was free; a 97 MB PutObject took about 850 ms of CPU that way and
 * about 650 ms this way). The request is paused while
 * {@link #BATCHES_IN_FLIGHT} pieces wait, so memory per upload stays bounded whatever the object's size.
 * Event-loop confined, apart from what the queued pieces do on workers, in order.
 */
final class UploadSink {
  static final int HOLD_LIMIT = 256 * 1024;
  static final int BATCH = 512 * 1024;
  static final int BATCHES_IN_FLIGHT = 4;
  private final Vertx vertx;
  private final Blobs blobs;
  private final BodyDigests digests;
  private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
  private long size;
  private Buffer held;
  private Path spillPath;
  /** The last queued piece of work on the spill file; each starts when the one before it succeeded. */
  private Future<Void> queue;
  /** Touched by the queued work only, one piece at a time. */
  private FileChannel channel;
  private byte[] batch;
  private int batchLength;
  private int inFlight;
  private Throwable failure;
  private Runnable waiting;
  private boolean discarded;

  /** {@code expectedSize} is the declared size, or -1 when unknown. */
  UploadSink(Vertx vertx, Blobs blobs, BodyDigests digests, long expectedSize) {
    this.vertx = vertx;
    this.blobs = blobs;
    this.digests = digests;
    // Sized up front when the client said how much is coming, so a held body is not copied as it grows.
    this.held = Buffer.buffer(expectedSize >= 0 && expectedSize <= HOLD_LIMIT ? (int) expectedSize : 1024);
    if (expectedSize > HOLD_LIMIT) {
      spill();
    }
  }

  /** Bytes written so far. */
  long size() {
    return size;
  }

  void write(Buffer data) {
    size += data.length();
    if (failure != null || discarded) {
      return;
    }
    if (queue == null) {
      digests.update(data);
      held.appendBuffer(data);
      if (held.length() > HOLD_LIMIT) {
        spill();
      }
      return;
    }
    int offset = 0;
    while (offset < data.length()) {
      if (batch == null) {
        batch = spare.isEmpty() ? new byte[BATCH] : spare.poll();
      }
      int length = Math.min(data.length() - offset, BATCH - batchLength);
      data.getBytes(offset, offset + length, batch, batchLength);
      offset += length;
      batchLength += length;
      if (batchLength == BATCH) {
        queueBatch();
      }
    }
  }

  /** True when the writer should pause until {@link #onDrain} calls back. */
  boolean full() {
    return failure == null && inFlight >= BATCHES_IN_FLIGHT;
  }

  void onDrain(Runnable resume) {
    waiting = resume;
  }

  /**
   * Everything written so far, staged and digested (finish the digests only after this completes); fails
   * if a spill write failed.
   */
  Future<StagedBody> finish() {
    if (queue == null) {
      return Future.succeededFuture(new StagedBody.Held(held));
    }
    if (batchLength > 0) {
      queueBatch();
    }
    Path path = spillPath;
    return queue.compose(ignored -> vertx.<StagedBody>executeBlocking(() -> {
      channel.close();
      return new StagedBody.Spilled(path);
    }, false)).recover(failed -> {
      discard();
      return Future.failedFuture(failed);
    });
  }

  /** Drops whatever was staged, once the queued work is done; safe to call more than once. */
  void discard() {
    held = null;
    if (discarded || queue == null) {
      discarded = true;
      return;
    }
    discarded = true;
    Path path = spillPath;
    queue.eventually(() -> vertx.executeBlocking(() -> {
      if (channel != null) {
        channel.close();
      }
      return Files.deleteIfExists(path);
    }, false));
  }

  /** From here on, bytes go to a temporary file; the held ones (already digested) go first. */
  private void spill() {
    spillPath = blobs.tempFile();
    Path path = spillPath;
    byte[] first = held.getBytes();
    held = null;
    enqueue(() -> {
      channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      writeFully(ByteBuffer.wrap(first));
    }, null);
  }

  private void queueBatch() {
    byte[] bytes = batch;
    int length = batchLength;
    batch = null;
    batchLength = 0;
    enqueue(() -> {
      digests.update(bytes, 0, length);
      writeFully(ByteBuffer.wrap(bytes, 0, length));
    }, bytes);
  }

  /**
   * Queues {@code work} for a worker, to start once everything queued before it succeeded, counting it in
   * flight until then; recycles {@code bytes} after.
   */
  private void enqueue(Work work, byte[] bytes) {
    inFlight++;
    Callable<Void> task = () -> {
      work.run();
      return null;
    };
    // Composed on the event loop's own futures, so the bookkeeping below runs there.
    Future<Void> done = queue == null ? vertx.executeBlocking(task, false) : queue.compose(ignored -> vertx.executeBlocking(task, false));
    queue = done.andThen(result -> {
      inFlight--;
      if (result.failed() && failure == null) {
        failure = result.cause();
      }
      if (bytes != null && spare.size() < BATCHES_IN_FLIGHT) {
        spare.push(bytes);
      }
      if (waiting != null && !full()) {
        Runnable resume = waiting;
        waiting = null;
        resume.run();
      }
    });
  }

  private void writeFully(ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  private interface Work {
    void run() throws IOException;
  }
}
