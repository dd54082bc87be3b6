package dev.tarsier.gateway.s3;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Sends a byte range of an open blob as the response body and closes the blob afterwards. HTTP/1.x
 * gets zero-copy sendfile. Vert.x cannot sendfile on HTTP/2 (h2c upgrades from curl or the JDK client),
 * so there the range goes out in chunks read on a worker, each written only when the response's write
 * queue has room: bounded memory either way. A broken connection stops the sending and closes the blob.
 */
final class BlobSender {
  private static final int CHUNK = 128 * 1024;

  private BlobSender() {}

  /** Call on the response's event loop, after the headers are set. */
  static void send(ObjectStore store, HttpServerResponse response, HttpVersion version, FileChannel channel, long offset,
                   long length) {
    if (version != HttpVersion.HTTP_2) {
      response.sendFile(channel, offset, length).onComplete(sent -> {
        close(channel);
        if (sent.failed() && !response.closed()) {
          response.reset();
        }
      });
      return;
    }
    next(store, response, channel, offset, offset + length);
  }

  private static void next(ObjectStore store, HttpServerResponse response, FileChannel channel, long position, long end) {
    if (response.closed()) {
      close(channel);
      return;
    }
    if (position >= end) {
      close(channel);
      response.end();
      return;
    }
    int size = (int) Math.min(CHUNK, end - position);
    store.blocking(() -> read(channel, position, size)).onComplete(read -> {
      if (read.failed()) {
        close(channel);
        response.reset();
        return;
      }
      response.write(read.result());
      long after = position + size;
      if (response.writeQueueFull()) {
        response.drainHandler(ignored -> next(store, response, channel, after, end));
      } else {
        next(store, response, channel, after, end);
      }
    });
  }

  private static Buffer read(FileChannel channel, long position, int size) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(size);
    while (bytes.hasRemaining()) {
      if (channel.read(bytes, position + bytes.position()) < 0) {
        throw new IOException("blob ended " + bytes.remaining() + " bytes early");
      }
    }
    return Buffer.buffer(bytes.array());
  }

  static void close(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // A read-only channel has nothing to flush; a failed close loses nothing.
    }
  }
}
