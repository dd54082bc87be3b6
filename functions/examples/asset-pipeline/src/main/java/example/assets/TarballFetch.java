package example.assets;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A tarball streamed into a file on a thread of its own, while {@link #stream()} hands the same bytes to
 * the caller as they arrive: the whole tarball lands in {@code /tmp}, and unpacking starts with its first
 * bytes instead of after its last. Between the two, a fixed set of buffers, so a slow reader holds back
 * the download rather than filling memory. Use from one reading thread; {@link #close} stops the download.
 */
final class TarballFetch implements AutoCloseable {
  private static final int BUFFERS = 32;
  private static final int BUFFER_SIZE = 64 * 1024;
  /** A filled buffer: {@code length} bytes of {@code bytes}, or the end ({@code length} -1), or a failure. */
  private record Chunk(byte[] bytes, int length, IOException failure) {}

  private final Bucket.Fetch fetch;
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
  private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(BUFFERS + 1);
  private final Thread copier;
  private volatile long finishedNanos;

  private TarballFetch(Bucket.Fetch fetch, Path file) {
    this.fetch = fetch;
    for (int i = 0; i < BUFFERS; i++) {
      free.add(new byte[BUFFER_SIZE]);
    }
    copier = new Thread(() -> copy(file), "tarball-download");
    copier.setDaemon(true);
  }

  /** Starts streaming {@code fetch} into {@code file}. */
  static TarballFetch start(Bucket.Fetch fetch, Path file) {
    TarballFetch download = new TarballFetch(fetch, file);
    download.copier.start();
    return download;
  }

  private void copy(Path file) {
    Chunk last;
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        byte[] buffer = free.take();
        int length = fetch.body().readNBytes(buffer, 0, buffer.length);
        if (length == 0) {
          break;
        }
        out.write(buffer, 0, length);
        filled.put(new Chunk(buffer, length, null));
      }
      last = new Chunk(null, -1, null);
    } catch (InterruptedException e) {
      return;
    } catch (IOException e) {
      last = new Chunk(null, -1, e);
    } catch (RuntimeException e) {
      // The SDK's stream reports a broken connection unchecked.
      last = new Chunk(null, -1, new IOException(e.getMessage(), e));
    }
    finishedNanos = System.nanoTime();
    // Room is kept for this last one: the buffers in use never outnumber the queue's places.
    filled.add(last);
  }

  /** The tarball's bytes, in order, as they arrive; ends when the download has ended, and fails as it does. */
  InputStream stream() {
    return new InputStream() {
      private byte[] bytes;
      private int position;
      private int length;
      private boolean ended;

      @Override
      public int read() throws IOException {
        return atHand() ? bytes[position++] & 0xff : -1;
      }

      @Override
      public int read(byte[] into, int offset, int count) throws IOException {
        if (count == 0) {
          return 0;
        }
        if (!atHand()) {
          return -1;
        }
        int n = Math.min(count, length - position);
        System.arraycopy(bytes, position, into, offset, n);
        position += n;
        return n;
      }

      /** Makes sure a byte is at hand, giving back the buffer just read and taking the next; false at the end. */
      private boolean atHand() throws IOException {
        if (bytes != null && position < length) {
          return true;
        }
        if (ended) {
          return false;
        }
        if (bytes != null) {
          free.add(bytes);
          bytes = null;
        }
        Chunk chunk;
        try {
          chunk = filled.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while downloading the tarball");
        }
        if (chunk.failure() != null) {
          ended = true;
          throw chunk.failure();
        }
        if (chunk.length() < 0) {
          ended = true;
          return false;
        }
        bytes = chunk.bytes();
        position = 0;
        length = chunk.length();
        return true;
      }
    };
  }

  /** Reads what the reader left, so the whole tarball is in its file, and waits for the download to end. */
  void finish(InputStream stream) throws IOException {
    stream.transferTo(OutputStream.nullOutputStream());
    try {
      copier.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while downloading the tarball");
    }
  }

  /** When the download ended, from {@link System#nanoTime()}; 0 while it runs. */
  long finishedNanos() {
    return finishedNanos;
  }

  /** Stops the download, if it still runs, and waits for its thread. */
  @Override
  public void close() throws IOException {
    copier.interrupt();
    try {
      fetch.close();
    } finally {
      try {
        copier.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
