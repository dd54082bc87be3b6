package dev.tarsier.sandbox.runc;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * A sandbox's {@code /tmp} as Lambda has it: disk, not memory, of the function's ephemeral-storage size. A
 * sparse ext4 image made for each sandbox, mounted on the host through a direct-I/O loop device and bound
 * into the container. Its pages are page cache, which the kernel writes back and reclaims when the function
 * needs the memory, so a function may keep more in {@code /tmp} than its memory size (on a tmpfs, whose
 * pages cannot be reclaimed, it would be killed for memory); a full {@code /tmp} fails writes with
 * {@code ENOSPC}. Making and mounting one takes about 25 ms, which {@link TmpVolumes} does ahead of need.
 * Blocking; needs root.
 */
public final class TmpVolume {
  private static final String IMAGE = "tmp.img";
  private static final String MOUNT_POINT = "tmp";
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final Logger LOG = Logger.getLogger(TmpVolume.class.getName());
  private static final AtomicBoolean directIoRefused = new AtomicBoolean();
  /** The journal's size, whatever the volume's: only metadata goes through it. */
  private static final int JOURNAL_MB = 16;

  private TmpVolume() {}

  /** Whether this machine can make them: loop devices and {@code mkfs.ext4}. */
  public static boolean available() {
    return Files.exists(Path.of("/dev/loop-control")) && onPath("mkfs.ext4") && onPath("losetup");
  }

  private static boolean onPath(String command) {
    return List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin").stream().anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }

  /** Makes the volume's image in {@code dir} and mounts it at {@link #mountPoint}{@code (dir)}. */
  static void create(Path dir, int sizeMb) throws IOException {
    Path image = dir.resolve(IMAGE);
    Path mountPoint = Files.createDirectories(mountPoint(dir));
    try {
      try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
        file.setLength(imageMb(sizeMb) * 1024L * 1024L);
      }
      // No room kept for root or for growing. The journal stays, though a sandbox's /tmp does not outlive
      // a crash: without one, writing the same files took longer the longer the volume lived (600 files
      // and their removal, three seconds apart: 18 ms, then 29, 40, ... 100 ms the eighth time); with
      // one, and data=writeback, 18 ms every time.
      run(List.of("mkfs.ext4", "-q", "-F", "-m", "0", "-J", "size=" + JOURNAL_MB, "-O", "^resize_inode",
          "-E", "lazy_itable_init=1,lazy_journal_init=1,nodiscard", image.toString()));
      // mount's own loop device goes away by itself with the unmount, even if this process dies first.
      // Direct I/O: the device then writes the image without caching it a second time, where those pages
      // would be charged to the sandbox's memory as well.
      run(List.of("mount", "-o", "loop,nosuid,nodev,noatime,data=writeback", image.toString(), mountPoint.toString()));
      String device = mounts().get(mountPoint.toAbsolutePath().normalize().toString());
      try {
        run(List.of("losetup", "--direct-io=on", device));
      } catch (IOException e) {
        // A file system or kernel without direct I/O for loop devices: the volume works, cached twice.
        if (!directIoRefused.getAndSet(true)) {
          LOG.warning("/tmp volumes go without direct I/O here, so their pages are cached twice: " + e.getMessage());
        }
      }
      Files.delete(mountPoint.resolve("lost+found"));
      Files.setAttribute(mountPoint, "unix:mode", 01777);
    } catch (IOException | RuntimeException e) {
      remove(dir);
      throw e;
    }
  }

  /**
   * The image's size for {@code sizeMb} usable: ext4's tables take up to 4% and the journal 16 MB, so a
   * 512 MB {@code /tmp} holds 516 MB, a 10,240 MB one 10,469 MB.
   */
  static long imageMb(int sizeMb) {
    return sizeMb + sizeMb * 4L / 100 + JOURNAL_MB + 4;
  }

  /** Where the volume made in {@code dir} is mounted. */
  static Path mountPoint(Path dir) {
    return dir.resolve(MOUNT_POINT);
  }

  /** Unmounts the volume in {@code dir}, if it is mounted, and deletes its image, its mount point and {@code dir}. */
  static void remove(Path dir) throws IOException {
    Path mountPoint = mountPoint(dir).toAbsolutePath().normalize();
    if (mounts().containsKey(mountPoint.toString())) {
      // Lazy: a process of the sandbox still holding a file open (it is being killed) does not keep it.
      run(List.of("umount", "-l", mountPoint.toString()));
    }
    Files.deleteIfExists(dir.resolve(IMAGE));
    Files.deleteIfExists(mountPoint);
    Files.deleteIfExists(dir);
  }

  /** Unmounts every volume a crashed run left mounted under {@code root}, deepest first. */
  public static List<String> unmountUnder(Path root) throws IOException {
    List<String> left = mountedUnder(root).stream().sorted(Comparator.reverseOrder()).toList();
    for (String point : left) {
      run(List.of("umount", "-l", point));
    }
    return left;
  }

  /** The mount points under {@code root}: the volumes mounted there. */
  public static List<String> mountedUnder(Path root) throws IOException {
    String prefix = root.toAbsolutePath().normalize() + "/";
    return mounts().keySet().stream().filter(point -> point.startsWith(prefix)).toList();
  }

  /** The mount points of this mount namespace and what is mounted on each, from {@code /proc/self/mounts}. */
  private static Map<String, String> mounts() throws IOException {
    Map<String, String> mounts = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8)) {
      String[] fields = line.split(" ");
      if (fields.length > 1) {
        mounts.put(unescape(fields[1]), unescape(fields[0]));
      }
    }
    return mounts;
  }

  /** A field of {@code /proc/self/mounts}, whose spaces, tabs, newlines and backslashes come escaped. */
  private static String unescape(String field) {
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
  }

  /** Runs {@code command}; returns what it printed. */
  private static String run(List<String> command) throws IOException {
    return new Command(command).output(COMMAND_TIMEOUT);
  }
}
