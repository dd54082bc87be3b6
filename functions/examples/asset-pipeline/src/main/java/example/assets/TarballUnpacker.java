package example.assets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.io.input.CloseShieldInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Extracts a gzipped tarball into a directory, refusing anything that could do harm: entries that
 * would land outside the directory, links, devices and pipes, and more bytes than the caller allows
 * (counted while extracting, never taken from the headers).
 */
public final class TarballUnpacker {
  /** Bytes read but not yet written, at most: enough to keep the writer busy, little beside a function's heap. */
  static final int HELD_BYTES = 16 * 1024 * 1024;
  private final long maxBytes;

  public TarballUnpacker(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Refused content, with a message that names the entry. */
  public static final class RefusedTarball extends IOException {
    public RefusedTarball(String message) {
      super(message);
    }
  }

  /** A regular file that was extracted: its path relative to the extraction directory, and its MD5. */
  public record Unpacked(Path path, byte[] md5) {
    public String md5Hex() {
      return HexFormat.of().formatHex(md5);
    }
  }

  /**
   * Extracts {@code tarball} into {@code into}; returns the regular files in archive order. Each file's
   * MD5 is taken from the bytes as they are written, so nothing is read back to hash it.
   */
  public List<Unpacked> unpack(Path tarball, Path into) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(tarball))) {
      return unpack(in, into);
    }
  }

  /**
   * Extracts the gzipped tarball {@code gzipped} yields into {@code into}, as {@link #unpack(Path, Path)}
   * does; reads no further than the tarball's end, and leaves the stream open.
   *
   * <p>Two threads share the work: this one inflates the tarball, checks each entry and reads its bytes;
   * a writer hashes and writes them, a file behind. Files up to {@link #HELD_BYTES} are handed over whole
   * (at most that much waits at a time); a larger one is written here, after the writer has caught up.
   */
  public List<Unpacked> unpack(InputStream gzipped, Path into) throws IOException {
    Path root = into.toAbsolutePath().normalize();
    Files.createDirectories(root);
    List<Future<Unpacked>> files = new ArrayList<>();
    MessageDigest md5 = ContentNames.newMd5();
    Semaphore held = new Semaphore(HELD_BYTES);
    List<Thread> writerThread = new ArrayList<>(1);
    ExecutorService writer = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "tarball-writer");
      thread.setDaemon(true);
      writerThread.add(thread);
      return thread;
    });
    long total = 0;
    // Directories made so far: asking for one that exists costs two exceptions inside Files.createDirectories.
    Set<Path> made = new HashSet<>(Set.of(root));
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(CloseShieldInputStream.wrap(gzipped)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path target = root.resolve(entry.getName()).normalize();
        if (!target.startsWith(root)) {
          throw new RefusedTarball("entry " + entry.getName() + " would be written outside the extraction directory");
        }
        if (entry.isSymbolicLink() || entry.isLink()) {
          throw new RefusedTarball("entry " + entry.getName() + " is a link; links are not accepted");
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
          throw new RefusedTarball("entry " + entry.getName() + " is a device or pipe; only files and directories are accepted");
        }
        if (entry.isDirectory()) {
          if (made.add(target)) {
            Files.createDirectories(target);
          }
          continue;
        }
        if (!entry.isFile()) {
          throw new RefusedTarball("entry " + entry.getName() + " is not a regular file");
        }
        if (made.add(target.getParent())) {
          Files.createDirectories(target.getParent());
        }
        Path relative = root.relativize(target);
        if (entry.getSize() <= HELD_BYTES) {
          int size = (int) entry.getSize();
          acquire(held, size);
          boolean handedOver = false;
          try {
            byte[] bytes = new byte[size];
            // What counts is what the entry yields, not what its header says.
            int length = tar.readNBytes(bytes, 0, size);
            total += length;
            checkTotal(total);
            files.add(writer.submit(() -> {
              try {
                return new Unpacked(relative, write(target, bytes, length, md5));
              } finally {
                held.release(size);
              }
            }));
            handedOver = true;
          } finally {
            if (!handedOver) {
              held.release(size);
            }
          }
        } else {
          await(files);
          try (OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = tar.read(buffer)) > 0) {
              total += read;
              checkTotal(total);
              md5.update(buffer, 0, read);
              out.write(buffer, 0, read);
            }
          }
          files.add(CompletableFuture.completedFuture(new Unpacked(relative, md5.digest())));
        }
      }
      return await(files);
    } finally {
      // Refused or failed: nothing may still be writing once this returns.
      writer.shutdownNow();
      try {
        writer.awaitTermination(1, TimeUnit.MINUTES);
        for (Thread thread : writerThread) {
          thread.join();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void checkTotal(long total) throws RefusedTarball {
    if (total > maxBytes) {
      throw new RefusedTarball("the tarball unpacks to more than " + maxBytes + " bytes, more than /tmp can hold");
    }
  }

  private static byte[] write(Path target, byte[] bytes, int length, MessageDigest md5) throws IOException {
    md5.update(bytes, 0, length);
    try (OutputStream out = Files.newOutputStream(target)) {
      out.write(bytes, 0, length);
    }
    return md5.digest();
  }

  private static void acquire(Semaphore held, int bytes) throws IOException {
    try {
      held.acquire(bytes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while unpacking");
    }
  }

  /** The files written so far, in order, once the writer has written them all; its failure, if it failed. */
  private static List<Unpacked> await(List<Future<Unpacked>> files) throws IOException {
    List<Unpacked> written = new ArrayList<>(files.size());
    try {
      for (Future<Unpacked> file : files) {
        written.add(file.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while unpacking");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
    return written;
  }
}
