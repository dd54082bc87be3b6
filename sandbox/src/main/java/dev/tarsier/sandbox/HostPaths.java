package dev.tarsier.sandbox;

import java.nio.file.Path;

/**
 * Where {@link Runtimes} looks for the host's toolchains. Everything under {@code /usr} is mounted into
 * every sandbox at the same path, so a toolchain found there runs inside unchanged.
 *
 * @param jvms   the directory holding JDKs, one per subdirectory
 * @param node   the Node.js binary; offered as {@code nodejs20.x} when its major version is 20
 * @param python the Python 3.11 interpreter
 */
record HostPaths(Path jvms, Path node, Path python) {

  static HostPaths standard() {
    return new HostPaths(Path.of("/usr/lib/jvm"), Path.of("/usr/bin/node"), Path.of("/usr/bin/python3.11"));
  }
}
