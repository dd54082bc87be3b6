package example.assets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
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

  /** Extracts {@code tarball} into {@code into}; returns the regular files, relative to it, in archive order. */
  public List<Path> unpack(Path tarball, Path into) throws IOException {
    Path root = into.toAbsolutePath().normalize();
    Files.createDirectories(root);
    List<Path> files = new ArrayList<>();
    long total = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball));
         TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
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
            out.write(buffer, 0, read);
          }
        }
        files.add(root.relativize(target));
      }
    }
    return files;
  }
}
