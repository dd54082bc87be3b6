package dev.tarsier.sandbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Which process holds the client end of a TCP connection on 127.0.0.1: the kernel's socket table
 * ({@code /proc/net/tcp}) names the socket's inode, and a process holds it when one of its file
 * descriptors points at {@code socket:[inode]}. Sandboxes share the host's network, so this is how a
 * sandbox's Runtime API tells its own runtime from any other process that found its port. Blocks on
 * small kernel files; call from a worker.
 */
final class LoopbackPeers {
  /** IPv4 sockets, and IPv6 ones (where a JVM's sockets usually are, 127.0.0.1 mapped as ::ffff:127.0.0.1). */
  private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

  private LoopbackPeers() {}

  /** Whether one of {@code pids} holds the connection from port {@code clientPort} to port {@code serverPort}. */
  static boolean heldBy(Iterable<Long> pids, int clientPort, int serverPort) throws IOException {
    long inode = inode(clientPort, serverPort);
    if (inode < 0) {
      return false;
    }
    String socket = "socket:[" + inode + "]";
    for (long pid : pids) {
      try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
        for (Path fd : fds) {
          if (socket.equals(link(fd))) {
            return true;
          }
        }
      } catch (IOException processGone) {
        // A process that ended meanwhile holds nothing.
      }
    }
    return false;
  }

  /** The inode of the client's socket; -1 when no such connection is open. */
  static long inode(int clientPort, int serverPort) throws IOException {
    String local = String.format(Locale.ROOT, ":%04X", clientPort);
    String remote = String.format(Locale.ROOT, ":%04X", serverPort);
    for (Path table : TABLES) {
      if (!Files.exists(table)) {
        continue;
      }
      // The host's whole table: read it a line at a time and stop at the connection.
      try (Stream<String> lines = Files.lines(table)) {
        long inode = lines.map(line -> line.trim().split("\\s+"))
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            .filter(fields -> fields.length > 9 && fields[1].endsWith(local) && fields[2].endsWith(remote))
            .mapToLong(fields -> Long.parseLong(fields[9])).findFirst().orElse(-1);
        if (inode >= 0) {
          return inode;
        }
      }
    }
    return -1;
  }

  private static String link(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString();
    } catch (IOException closed) {
      return "";
    }
  }
}
