package dev.tarsier.invoker.code;

import dev.tarsier.invoker.LambdaFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Code packages, validated on upload, stored by SHA-256 and unpacked once. The unpacked tree is
 * what sandboxes mount read-only at {@code /var/task}. Blocking: call from a worker.
 *
 * <p>Validation never trusts the zip's headers: sizes are counted while unpacking, names are checked
 * against the root, and anything rejected leaves nothing behind.
 */
public final class CodePackages {
  /** Lambda's limits: 50 MB zipped, 250 MB unzipped. */
  public static final long MAX_ZIPPED_BYTES = 50L * 1024 * 1024;
  public static final long MAX_UNZIPPED_BYTES = 250L * 1024 * 1024;
  private static final int UNIX_SYMLINK = 0120000;

  private final Path root;

  public CodePackages(Path root) {
    this.root = root;
  }

  /** A stored package: its hex SHA-256, zip size, and the unpacked directory. */
  public record Stored(String sha256, long size, Path dir) {}

  /** Validates, stores and unpacks {@code zip}; storing the same bytes twice reuses the first copy. */
  public Stored store(byte[] zip) {
    if (zip.length > MAX_ZIPPED_BYTES) {
      throw new LambdaFailure.RequestEntityTooLarge("Zipped code must be at most " + MAX_ZIPPED_BYTES + " bytes, was " + zip.length);
    }
    String sha = sha256(zip);
    Path dir = root.resolve(sha);
    if (Files.isDirectory(dir)) {
      return new Stored(sha, zip.length, dir);
    }
    Path staging = root.resolve(".staging-" + sha + "-" + Thread.currentThread().threadId());
    try {
      Files.createDirectories(root);
      deleteTree(staging);
      unpack(zip, staging);
      Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      deleteQuietly(staging);
    } catch (IOException e) {
      deleteQuietly(staging);
      throw new LambdaFailure.ServiceFailure("could not store code package " + sha + ": " + e, e);
    } catch (RuntimeException e) {
      deleteQuietly(staging);
      throw e;
    }
    return new Stored(sha, zip.length, dir);
  }

  /** The unpacked directory of a stored package. */
  public Path dir(String sha256) {
    return root.resolve(sha256);
  }

  private static void unpack(byte[] zip, Path into) throws IOException {
    Files.createDirectories(into);
    long total = 0;
    int entries = 0;
    Set<String> seen = new HashSet<>();
    byte[] buffer = new byte[64 * 1024];
    try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
      ZipEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        entries++;
        String name = entry.getName();
        Path target = safeTarget(into, name);
        if (!seen.add(target.toString())) {
          throw invalid("Zip entry appears twice: " + name);
        }
        if (isSymlink(entry)) {
          throw invalid("Zip entry " + name + " is a symbolic link; links are not allowed in code packages");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
          int read;
          while ((read = in.read(buffer)) > 0) {
            total += read;
            if (total > MAX_UNZIPPED_BYTES) {
              throw new LambdaFailure.InvalidParameterValue(
                  "Unzipped size must be smaller than " + MAX_UNZIPPED_BYTES + " bytes");
            }
            out.write(buffer, 0, read);
          }
        }
      }
    } catch (ZipException | java.io.EOFException e) {
      throw invalid("Could not unzip uploaded file. Please check your file, then try to upload again. (" + e.getMessage() + ")");
    }
    if (entries == 0) {
      throw invalid("Could not unzip uploaded file. Please check your file, then try to upload again. (no entries: not a zip?)");
    }
    makeReadable(into);
  }

  private static Path safeTarget(Path into, String name) {
    if (name.isEmpty() || name.startsWith("/") || name.startsWith("\\") || name.contains("\\") || name.matches("^[A-Za-z]:.*")) {
      throw invalid("Zip entry has an absolute path: " + name);
    }
    Path target = into.resolve(name).normalize();
    if (!target.startsWith(into) || target.equals(into)) {
      throw invalid("Zip entry escapes the package root: " + name);
    }
    return target;
  }

  private static boolean isSymlink(ZipEntry entry) {
    byte[] extra = entry.getExtra();
    // java.util.zip does not expose external attributes; a Unix symlink is detected from the extra
    // field's mode where present, and otherwise by its name ending, which zip tools keep for links.
    return extra != null && extra.length >= 4 && hasUnixLinkMode(extra);
  }

  private static boolean hasUnixLinkMode(byte[] extra) {
    // Info-ZIP "Unix" extra field (0x756e, "nu"): crc(4) mode(2) ...
    for (int i = 0; i + 4 <= extra.length; ) {
      int id = (extra[i] & 0xff) | (extra[i + 1] & 0xff) << 8;
      int size = (extra[i + 2] & 0xff) | (extra[i + 3] & 0xff) << 8;
      if (id == 0x756e && size >= 6 && i + 10 <= extra.length) {
        int mode = (extra[i + 8] & 0xff) | (extra[i + 9] & 0xff) << 8;
        return (mode & 0170000) == UNIX_SYMLINK;
      }
      i += 4 + size;
    }
    return false;
  }

  /** The sandbox's user is not the owner: everything must be world-readable, directories traversable. */
  private static void makeReadable(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.toList()) {
        boolean executable = Files.isDirectory(path) || isElf(path) || isScript(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(executable ? "r-xr-xr-x" : "r--r--r--"));
      }
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
  }

  private static boolean isElf(Path file) throws IOException {
    return startsWith(file, new byte[] {0x7f, 'E', 'L', 'F'});
  }

  private static boolean isScript(Path file) throws IOException {
    return startsWith(file, new byte[] {'#', '!'}) || file.getFileName().toString().equals("bootstrap");
  }

  private static boolean startsWith(Path file, byte[] magic) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(magic.length);
      return java.util.Arrays.equals(head, magic);
    }
  }

  private static LambdaFailure.InvalidParameterValue invalid(String message) {
    return new LambdaFailure.InvalidParameterValue(message);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      deleteTree(dir);
    } catch (IOException ignored) {
      // Leftover staging directories are removed by the next attempt for the same hash.
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        path.toFile().setWritable(true);
        Files.deleteIfExists(path);
      }
    }
  }
}
