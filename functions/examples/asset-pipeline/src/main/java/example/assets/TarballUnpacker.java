package example.assets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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
   */
  public List<Unpacked> unpack(InputStream gzipped, Path into) throws IOException {
    Path root = into.toAbsolutePath().normalize();
    Files.createDirectories(root);
    List<Unpacked> files = new ArrayList<>();
    MessageDigest md5 = ContentNames.newMd5();
    long total = 0;
    byte[] buffer = new byte[64 * 1024];
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
          Files.createDirectories(target);
          continue;
        }
        if (!entry.isFile()) {
          throw new RefusedTarball("entry " + entry.getName() + " is not a regular file");
        }
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
          int read;
          while ((read = tar.read(buffer)) > 0) {
            total += read;
            if (total > maxBytes) {
              throw new RefusedTarball("the tarball unpacks to more than " + maxBytes + " bytes, more than /tmp can hold");
            }
            md5.update(buffer, 0, read);
            out.write(buffer, 0, read);
          }
        }
        files.add(new Unpacked(root.relativize(target), md5.digest()));
      }
    }
    return files;
  }
}
