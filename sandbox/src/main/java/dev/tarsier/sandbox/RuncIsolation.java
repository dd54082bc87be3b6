package dev.tarsier.sandbox;

import dev.tarsier.sandbox.runc.Cgroup;
import dev.tarsier.sandbox.runc.ContainerSpec;
import dev.tarsier.sandbox.runc.OciBundle;
import dev.tarsier.sandbox.runc.Runc;
import dev.tarsier.sandbox.runc.TmpVolume;
import dev.tarsier.sandbox.runc.TmpVolumes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.logging.Logger;

/**
 * Sandboxes as runc containers: their own pid, mount, ipc and uts namespaces, a read-only root of bind
 * mounts, a private disk-backed {@code /tmp} ({@link TmpVolume}; a tmpfs where the machine cannot), an
 * unprivileged user without capabilities, and cgroup limits for memory (no swap), CPU weight and pids.
 * Idle ones are frozen with the cgroup freezer.
 */
final class RuncIsolation implements Isolation {
  private static final Logger LOG = Logger.getLogger(RuncIsolation.class.getName());
  /** Processes a sandbox may have, threads included: enough for a JVM, too few for a fork bomb. */
  static final long PIDS_LIMIT = 1024;

  private final Runc runc;
  private final SandboxConfig config;
  private final Path runtimesDir;
  private final String idScope;
  /** Disk-backed {@code /tmp} volumes, as on Lambda; null where the machine cannot make them (then a tmpfs, charged to memory). */
  private final TmpVolumes volumes;

  /** {@code idScope} starts the id of every sandbox made on this data directory, and only those. */
  RuncIsolation(Runc runc, SandboxConfig config, Path runtimesDir, String idScope) {
    this.runc = runc;
    this.config = config;
    this.runtimesDir = runtimesDir;
    this.idScope = idScope;
    this.volumes = TmpVolume.available() ? new TmpVolumes(config.sandboxesDir().resolve("volumes")) : null;
  }

  @Override
  public String describe() {
    return "runc containers (pid, mount, ipc, uts namespaces; read-only root; private "
        + (volumes != null ? "disk-backed /tmp" : "tmpfs /tmp, counted as memory (no loop devices or mkfs.ext4 here)")
        + "; no capabilities; cgroup memory without swap, cpu weight, pids " + PIDS_LIMIT + "; idle sandboxes frozen)";
  }

  @Override
  public boolean freezes() {
    return true;
  }

  @Override
  public Container launch(String id, Path dir, SandboxSpec spec, Runtimes.Launch launch, Path output) throws IOException {
    List<ContainerSpec.Bind> binds = new ArrayList<>();
    binds.add(new ContainerSpec.Bind(Path.of("/usr"), "/usr"));
    for (String etc : RootFs.HOST_ETC) {
      if (Files.isDirectory(Path.of(etc))) {
        binds.add(new ContainerSpec.Bind(Path.of(etc), etc));
      }
    }
    binds.add(new ContainerSpec.Bind(runtimesDir, "/var/runtime"));
    binds.add(new ContainerSpec.Bind(spec.codeDir(), "/var/task"));
    binds.addAll(launch.binds());
    long memoryBytes = spec.memoryMb() * 1024L * 1024L;
    Path volume = tmpVolume(id, spec.ephemeralStorageMb());
    try {
      ContainerSpec container = new ContainerSpec(config.rootfsDir(), launch.args(), launch.env(), "/var/task",
          config.sandboxUid(), binds, spec.ephemeralStorageMb(), volume == null ? null : TmpVolumes.mountPoint(volume), memoryBytes,
          cpuShares(spec.memoryMb()), PIDS_LIMIT, Cgroup.path(config.cgroupParent(), id));
      OciBundle.write(dir, container);
      Process process = runc.run(id, dir, output);
      return new RuncContainer(id, volume, process, new Cgroup(config.cgroupParent(), id));
    } catch (IOException | RuntimeException e) {
      if (volume != null) {
        TmpVolumes.release(volume);
      }
      throw e;
    }
  }

  /**
   * A fresh {@code /tmp} volume for sandbox {@code id}, or null for a tmpfs: where the machine cannot make
   * them, or where making this one failed (the sandbox still starts, its {@code /tmp} counted as memory).
   */
  private Path tmpVolume(String id, int sizeMb) {
    if (volumes == null) {
      return null;
    }
    try {
      return volumes.take(sizeMb);
    } catch (IOException e) {
      LOG.warning("sandbox " + id + " gets a tmpfs /tmp, counted as memory: its disk-backed one could not be made: " + e.getMessage());
      return null;
    }
  }

  @Override
  public void close() {
    if (volumes != null) {
      volumes.close();
    }
  }

  /** CPU weight in proportion to memory: 1769 MB is one full share (1024), as on Lambda. */
  static long cpuShares(int memoryMb) {
    return Math.max(2, Math.round(memoryMb * 1024.0 / 1769.0));
  }

  @Override
  public void removeLeftovers() throws IOException {
    for (String id : runc.list()) {
      LOG.info("removing container left by a previous run: " + id);
      new Cgroup(config.cgroupParent(), id).thaw();
      runc.kill(id, "KILL");
      runc.delete(id);
    }
    for (String mountPoint : TmpVolume.unmountUnder(config.sandboxesDir())) {
      LOG.info("unmounted a /tmp volume left by a previous run: " + mountPoint);
    }
    for (String id : Cgroup.removeStray(config.cgroupParent(), idScope + "-", new HashSet<>(runc.list()))) {
      LOG.info("removed cgroup left by a previous run: " + id);
    }
  }

  /** A container started with {@code runc run --keep}: runc's process lives as long as the container's. */
  private final class RuncContainer implements Container {
    private final String id;
    private final Path volume;
    private final Process process;
    private final Cgroup cgroup;

    /** {@code volume} is its {@code /tmp} volume's directory, or null where {@code /tmp} is a tmpfs. */
    RuncContainer(String id, Path volume, Process process, Cgroup cgroup) {
      this.id = id;
      this.volume = volume;
      this.process = process;
      this.cgroup = cgroup;
    }

    @Override
    public CompletionStage<Integer> exited() {
      return process.onExit().thenApply(Process::exitValue);
    }

    @Override
    public Usage usage() {
      return new Usage(cgroup.peakMemoryBytes(), cgroup.memoryBytes(), cgroup.oomKills() > 0);
    }

    @Override
    public void freeze() {
      try {
        cgroup.freeze();
      } catch (IOException e) {
        LOG.warning("could not freeze " + id + ": " + e);
      }
    }

    @Override
    public void thaw() {
      try {
        cgroup.thaw();
      } catch (IOException e) {
        LOG.warning("could not thaw " + id + ": " + e);
      }
    }

    @Override
    public boolean holdsConnection(int clientPort, int serverPort) throws IOException {
      return LoopbackPeers.heldBy(cgroup.processes(), clientPort, serverPort);
    }

    @Override
    public void terminate() {
      thaw();
      runc.kill(id, "TERM");
    }

    @Override
    public void kill() {
      // A frozen process keeps a pending SIGKILL until it is thawed.
      thaw();
      runc.kill(id, "KILL");
    }

    @Override
    public void remove() {
      runc.delete(id);
      if (volume != null) {
        try {
          TmpVolumes.release(volume);
        } catch (IOException e) {
          throw new UncheckedIOException("could not remove the /tmp volume of " + id, e);
        }
      }
    }
  }
}
