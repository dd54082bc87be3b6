package dev.tarsier.sandbox.runc;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the OCI runtime bundle ({@code config.json}) for one container: its own pid, mount, ipc and uts
 * namespaces (the network namespace is the host's, so the runtime reaches its Runtime API listener on
 * loopback), a read-only root, no capabilities, {@code no_new_privileges}, and cgroup limits.
 */
public final class OciBundle {
  private OciBundle() {}

  /** Writes {@code dir/config.json} atomically and returns it. */
  public static Path write(Path dir, ContainerSpec spec) throws IOException {
    Files.createDirectories(dir);
    Path config = dir.resolve("config.json");
    Path partial = dir.resolve("config.json.partial");
    Files.writeString(partial, toJson(spec).encodePrettily());
    Files.move(partial, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return config;
  }

  static JsonObject toJson(ContainerSpec spec) {
    JsonArray env = new JsonArray();
    spec.env().forEach((key, value) -> env.add(key + "=" + value));
    JsonObject noCapabilities = new JsonObject();
    for (String set : List.of("bounding", "effective", "permitted", "ambient")) {
      noCapabilities.put(set, new JsonArray());
    }
    return new JsonObject()
        .put("ociVersion", "1.0.2")
        .put("process", new JsonObject()
            .put("terminal", false)
            .put("user", new JsonObject().put("uid", spec.uid()).put("gid", spec.uid()))
            .put("args", new JsonArray(withOutputFd(spec.args())))
            .put("env", env)
            .put("cwd", spec.cwd())
            .put("capabilities", noCapabilities)
            .put("rlimits", new JsonArray().add(new JsonObject().put("type", "RLIMIT_NOFILE").put("hard", 4096).put("soft", 4096)))
            .put("noNewPrivileges", true))
        .put("root", new JsonObject().put("path", spec.rootfs().toString()).put("readonly", true))
        .put("hostname", "sandbox")
        .put("mounts", mounts(spec))
        .put("linux", new JsonObject()
            .put("namespaces", new JsonArray()
                .add(new JsonObject().put("type", "pid"))
                .add(new JsonObject().put("type", "ipc"))
                .add(new JsonObject().put("type", "uts"))
                .add(new JsonObject().put("type", "mount")))
            .put("cgroupsPath", spec.cgroupsPath())
            .put("resources", new JsonObject()
                .put("memory", new JsonObject()
                    .put("limit", spec.memoryBytes())
                    .put("swap", spec.memoryBytes()))
                .put("cpu", new JsonObject().put("shares", spec.cpuShares()))
                .put("pids", new JsonObject().put("limit", spec.pidsLimit())))
            .put("maskedPaths", new JsonArray(List.of(
                "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi")))
            .put("readonlyPaths", new JsonArray(List.of(
                "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"))));
  }

  /**
   * The process, started by a shell that first makes {@link Runc#OUTPUT_FD} its stdout and stderr when runc
   * passed it one (see {@link Runc#run}); {@code exec} keeps the process's pid, so it is still the
   * container's init.
   */
  static List<String> withOutputFd(List<String> args) {
    int fd = Runc.OUTPUT_FD;
    List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c",
        "if { true >&" + fd + "; } 2>/dev/null; then exec \"$@\" 1>&" + fd + " 2>&" + fd + " " + fd + ">&-; fi; exec \"$@\"", "runtime"));
    wrapped.addAll(args);
    return wrapped;
  }

  private static JsonArray mounts(ContainerSpec spec) {
    JsonArray mounts = new JsonArray()
        .add(mount("/proc", "proc", "proc"))
        .add(mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"))
        .add(mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"))
        .add(mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k"))
        .add(mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro"))
        // The JVM and Node read their memory limit from here.
        .add(mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro"))
        .add(spec.tmpVolume() != null
            ? mount("/tmp", "bind", spec.tmpVolume().toString(), "rbind", "rw", "nosuid", "nodev")
            : mount("/tmp", "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777", "size=" + spec.tmpSizeMb() + "m"));
    for (ContainerSpec.Bind bind : spec.binds()) {
      mounts.add(bind.writable()
          ? mount(bind.destination(), "bind", bind.source().toString(), "rbind", "rw", "nosuid", "nodev")
          : mount(bind.destination(), "bind", bind.source().toString(), "rbind", "ro", "nosuid", "nodev"));
    }
    return mounts;
  }

  private static JsonObject mount(String destination, String type, String source, String... options) {
    JsonObject mount = new JsonObject().put("destination", destination).put("type", type).put("source", source);
    if (options.length > 0) {
      mount.put("options", new JsonArray(List.of((Object[]) options)));
    }
    return mount;
  }
}
