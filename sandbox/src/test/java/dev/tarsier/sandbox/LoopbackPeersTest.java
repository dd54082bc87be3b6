package dev.tarsier.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Telling which process holds a loopback connection, on real sockets and processes. */
class LoopbackPeersTest {

  @Test
  void findsTheProcessThatHoldsTheClientEndOfAConnection() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    Process other = new ProcessBuilder("sleep", "30").start();
    try (ServerSocket server = new ServerSocket(0, 1, loopback);
         Socket client = new Socket(loopback, server.getLocalPort());
         Socket accepted = server.accept()) {
      int clientPort = client.getLocalPort();
      int serverPort = server.getLocalPort();
      assertThat(LoopbackPeers.inode(clientPort, serverPort)).isPositive();
      assertThat(LoopbackPeers.heldBy(List.of(ProcessHandle.current().pid()), clientPort, serverPort)).isTrue();
      assertThat(LoopbackPeers.heldBy(List.of(other.pid()), clientPort, serverPort)).as("another process").isFalse();
    } finally {
      other.destroyForcibly().waitFor();
    }
  }

  @Test
  void aConnectionThatIsNotOpenIsHeldByNobody() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThat(LoopbackPeers.inode(1, server.getLocalPort())).isEqualTo(-1);
      assertThat(LoopbackPeers.heldBy(List.of(ProcessHandle.current().pid()), 1, server.getLocalPort())).isFalse();
      int clientPort;
      try (Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
           Socket accepted = server.accept()) {
        clientPort = client.getLocalPort();
        assertThat(LoopbackPeers.heldBy(List.of(ProcessHandle.current().pid()), clientPort, server.getLocalPort())).isTrue();
      }
      assertThat(LoopbackPeers.heldBy(List.of(ProcessHandle.current().pid()), clientPort, server.getLocalPort()))
          .as("a connection this process has closed").isFalse();
    }
  }
}
