package dev.tarsier.sandbox.runc;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one container looks like, independent of the OCI JSON that describes it.
 *
 * @param rootfs      the shared read-only root directory
 * @param args        the process to run
 * @param env         its environment
 * @param cwd         its working directory inside the container
 * @param uid         the unprivileged user it runs as (gid is the same)
 * @param binds       bind mounts, host path to container path (read-only unless marked writable)
 * @param tmpSizeMb   size of the private tmpfs at {@code /tmp}, when there is no {@code tmpVolume}
 * @param tmpVolume   a disk-backed volume to bind at {@code /tmp} instead ({@link TmpVolume}), or null
 * @param memoryBytes the cgroup memory limit (swap is limited to the same, so none is used)
 * @param cpuShares   the cgroup CPU weight
 * @param pidsLimit   the cgroup pids limit
 * @param cgroupsPath the container's cgroup path, relative to each controller's root
 */
public record ContainerSpec(
    Path rootfs,
    List<String> args,
    Map<String, String> env,
    String cwd,
    int uid,
    List<Bind> binds,
    int tmpSizeMb,
    Path tmpVolume,
    long memoryBytes,
    long cpuShares,
    long pidsLimit,
    String cgroupsPath) {

  /** A bind mount; {@code writable} only for what the platform itself collects from a sandbox. */
  public record Bind(Path source, String destination, boolean writable) {
    /** A read-only bind mount. */
    public Bind(Path source, String destination) {
      this(source, destination, false);
    }
  }
}
