package dev.tarsier.sandbox.runc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The cgroup (v1) directories runc makes for one container, at {@code /sys/fs/cgroup/<controller>/<parent>/<id>}:
 * its memory readings and its freezer. Every method blocks on small kernel files; call from a worker.
 */
public final class Cgroup {
  private static final Path ROOT = Path.of("/sys/fs/cgroup");
  /** How long removing a stray cgroup waits for the processes it killed to leave it. */
  private static final long DRAIN_MILLIS = 5_000;

  private final Path memory;
  private final Path freezer;

  public Cgroup(String parent, String id) {
    this.memory = ROOT.resolve("memory").resolve(parent).resolve(id);
    this.freezer = ROOT.resolve("freezer").resolve(parent).resolve(id);
  }

  /** The {@code cgroupsPath} to give runc for this container. */
  public static String path(String parent, String id) {
    return "/" + parent + "/" + id;
  }

  /** Whether this machine has the cgroup v1 memory and freezer controllers this class reads. */
  public static boolean available() {
    return Files.isDirectory(ROOT.resolve("memory")) && Files.isDirectory(ROOT.resolve("freezer"));
  }

  /** The processes in the container now (thread-group ids, as the host sees them). */
  public List<Long> processes() throws IOException {
    return Files.readAllLines(memory.resolve("cgroup.procs")).stream().filter(line -> !line.isBlank())
        .map(line -> Long.parseLong(line.strip())).toList();
  }

  public long peakMemoryBytes() {
    return number(memory.resolve("memory.max_usage_in_bytes"));
  }

  public long memoryBytes() {
    return number(memory.resolve("memory.usage_in_bytes"));
  }

  /** How many times the kernel's OOM killer has killed a process of this cgroup. */
  public long oomKills() {
    try {
      for (String line : Files.readAllLines(memory.resolve("memory.oom_control"))) {
        if (line.startsWith("oom_kill ")) {
          return Long.parseLong(line.substring("oom_kill ".length()).strip());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  public void freeze() throws IOException {
    writeState(freezer, "FROZEN");
  }

  public void thaw() throws IOException {
    writeState(freezer, "THAWED");
  }

  /**
   * Removes the cgroups under {@code parent} whose names start with {@code idPrefix} and that are not in
   * {@code keep}, after killing whatever still runs in them (thawed first: a frozen process does not
   * die until it is thawed). Returns the names removed.
   */
  public static List<String> removeStray(String parent, String idPrefix, Set<String> keep) throws IOException {
    List<String> removed = new ArrayList<>();
    if (!Files.isDirectory(ROOT)) {
      return removed;
    }
    List<Path> controllers;
    try (Stream<Path> list = Files.list(ROOT)) {
      controllers = list.filter(Files::isDirectory).toList();
    }
    for (Path controller : controllers) {
      Path parentDir = controller.resolve(parent);
      if (!Files.isDirectory(parentDir)) {
        continue;
      }
      List<Path> strays;
      try (Stream<Path> list = Files.list(parentDir)) {
        strays = list.filter(dir -> Files.isDirectory(dir) && dir.getFileName().toString().startsWith(idPrefix)
            && !keep.contains(dir.getFileName().toString())).toList();
      }
      for (Path dir : strays) {
        String id = dir.getFileName().toString();
        writeState(ROOT.resolve("freezer").resolve(parent).resolve(id), "THAWED");
        drain(dir);
        Files.delete(dir);
        if (!removed.contains(id)) {
          removed.add(id);
        }
      }
    }
    return removed;
  }

  private static void drain(Path dir) throws IOException {
    long until = System.currentTimeMillis() + DRAIN_MILLIS;
    while (true) {
      List<String> pids = Files.readAllLines(dir.resolve("cgroup.procs")).stream().filter(line -> !line.isBlank()).toList();
      if (pids.isEmpty()) {
        return;
      }
      if (System.currentTimeMillis() > until) {
        throw new IOException("processes " + pids + " do not leave cgroup " + dir + " after SIGKILL");
      }
      for (String pid : pids) {
        ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
      }
      // Killed processes leave the cgroup asynchronously; this runs once at start-up, on a worker.
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while emptying " + dir, e);
      }
    }
  }

  private static void writeState(Path freezerDir, String state) throws IOException {
    Path file = freezerDir.resolve("freezer.state");
    if (Files.exists(file)) {
      Files.writeString(file, state);
    }
  }

  private static long number(Path file) {
    try {
      return Long.parseLong(Files.readString(file).strip());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }
}
