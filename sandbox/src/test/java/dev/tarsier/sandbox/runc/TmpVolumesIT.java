package dev.tarsier.sandbox.runc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tarsier.sandbox.RealContainers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Disk-backed {@code /tmp} volumes made, mounted and removed for real: loop devices, ext4, mount. */
class TmpVolumesIT {
  private static final long MB = 1024 * 1024;
  @TempDir
  Path root;

  @BeforeEach
  void require() {
    RealContainers.require();
    assertThat(TmpVolume.available()).as("loop devices and mkfs.ext4").isTrue();
  }

  @Test
  void aVolumeHoldsItsSizeForAnyoneAndLeavesNothingWhenRemoved() throws Exception {
    Path dir = Files.createDirectories(root.resolve("v"));
    TmpVolume.create(dir, 512);
    Path mounted = TmpVolume.mountPoint(dir);

    assertThat(mounts()).contains(mounted.toString());
    FileStore store = Files.getFileStore(mounted);
    assertThat(store.type()).isEqualTo("ext4");
    assertThat(store.getUsableSpace() / MB).as("usable MB").isBetween(512L, 520L);
    assertThat(Files.getAttribute(mounted, "unix:mode")).isEqualTo(041777);
    try (Stream<Path> entries = Files.list(mounted)) {
      assertThat(entries).as("an empty /tmp, no lost+found").isEmpty();
    }
    assertThat(Files.size(dir.resolve("tmp.img")) / MB).isEqualTo(TmpVolume.imageMb(512));
    Files.writeString(mounted.resolve("kept"), "x", StandardCharsets.UTF_8);

    TmpVolume.remove(dir);

    assertThat(mounts()).doesNotContain(mounted.toString());
    assertThat(loopDevicesOn(root)).isEmpty();
    assertThat(dir).as("the volume's directory").doesNotExist();
    assertThat(dir.resolve("tmp.img")).doesNotExist();
    assertThat(mounted.resolve("kept")).doesNotExist();
  }

  @Test
  void volumesAreMadeAheadHandedOutOnceAndThoseNotTakenGoWithClose() throws Exception {
    Path first;
    Path second;
    try (TmpVolumes volumes = new TmpVolumes(root)) {
      first = volumes.take(512);
      second = volumes.take(512);

      assertThat(first).isNotEqualTo(second);
      assertThat(mounts()).contains(TmpVolumes.mountPoint(first).toString(), TmpVolumes.mountPoint(second).toString());
      TmpVolumes.release(first);
      assertThat(mounts()).doesNotContain(TmpVolumes.mountPoint(first).toString());
      assertThat(first).doesNotExist();
    }
    // Closed: the ones made ahead are gone, the one still taken is its sandbox's to release.
    assertThat(mountsUnder(root)).containsExactly(TmpVolumes.mountPoint(second).toString());
    TmpVolumes.release(second);
    assertThat(mountsUnder(root)).isEmpty();
    try (Stream<Path> left = Files.list(root)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void startUpUnmountsWhatACrashLeftMounted() throws Exception {
    Path a = Files.createDirectories(root.resolve("a"));
    Path b = Files.createDirectories(root.resolve("b"));
    TmpVolume.create(a, 512);
    TmpVolume.create(b, 512);

    List<String> unmounted = TmpVolume.unmountUnder(root);

    assertThat(unmounted).containsExactlyInAnyOrder(TmpVolume.mountPoint(a).toString(), TmpVolume.mountPoint(b).toString());
    assertThat(mountsUnder(root)).isEmpty();
    assertThat(loopDevicesOn(root)).as("loop devices still attached to images under " + root).isEmpty();
  }

  /** The loop devices whose image lies under {@code root}, from sysfs. */
  static List<String> loopDevicesOn(Path root) throws IOException {
    try (Stream<Path> devices = Files.list(Path.of("/sys/block"))) {
      return devices.filter(device -> device.getFileName().toString().startsWith("loop"))
          .filter(device -> {
            try {
              Path file = device.resolve("loop/backing_file");
              return Files.exists(file) && Files.readString(file).startsWith(root.toAbsolutePath() + "/");
            } catch (IOException e) {
              return false;
            }
          })
          .map(device -> device.getFileName().toString()).toList();
    }
  }

  private static List<String> mountsUnder(Path root) throws IOException {
    return mounts().stream().filter(point -> point.startsWith(root + "/")).toList();
  }

  private static List<String> mounts() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mounts")).stream().map(line -> line.split(" ")[1]).toList();
  }
}
