package dev.tarsier.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The one read-only root every sandbox shares: empty mount points, the merged-/usr symlinks, and a
 * minimal {@code /etc}. The host's {@code /usr} and a few {@code /etc} pieces are bind-mounted over it per
 * container; nothing of the host is copied.
 */
final class RootFs {
  private RootFs() {}

  /** Host directories under /etc that runtimes need (TLS roots, JDK configuration), when present. */
  static final List<String> HOST_ETC = List.of(
      "/etc/ssl", "/etc/ca-certificates", "/etc/alternatives", "/etc/java-17-openjdk", "/etc/java-21-openjdk");

  /** Creates or refreshes the root at {@code dir}; safe to call on every start. */
  static Path prepare(Path dir, int uid) throws IOException {
    for (String path : List.of("usr", "proc", "dev", "sys", "tmp", "var/task", "var/runtime", "etc")) {
      Files.createDirectories(dir.resolve(path));
    }
    // runc gives a tmpfs the mode of the directory it is mounted on, so this one decides whether
    // functions can write /tmp: sticky and world-writable, as on Lambda.
    Files.setAttribute(dir.resolve("tmp"), "unix:mode", 01777);
    for (String link : List.of("bin", "lib", "lib64", "sbin")) {
      Path at = dir.resolve(link);
      if (!Files.isSymbolicLink(at)) {
        Files.createSymbolicLink(at, Path.of("usr", link));
      }
    }
    for (String etc : HOST_ETC) {
      if (Files.isDirectory(Path.of(etc))) {
        Files.createDirectories(dir.resolve(etc.substring(1)));
      }
    }
    Files.writeString(dir.resolve("etc/passwd"),
        "root:x:0:0:root:/root:/usr/sbin/nologin\nsbx_user:x:" + uid + ":" + uid + "::/tmp:/usr/sbin/nologin\n");
    Files.writeString(dir.resolve("etc/group"), "root:x:0:\nsbx_user:x:" + uid + ":\n");
    Files.writeString(dir.resolve("etc/hosts"), "127.0.0.1\tlocalhost sandbox\n::1\tlocalhost\n");
    Files.writeString(dir.resolve("etc/resolv.conf"), "");
    Files.writeString(dir.resolve("etc/nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files\n");
    return dir;
  }
}
