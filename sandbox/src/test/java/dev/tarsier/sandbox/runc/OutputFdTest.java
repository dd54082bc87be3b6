package dev.tarsier.sandbox.runc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell step that makes a container's process write straight into its output file. */
class OutputFdTest {
  private static final List<String> WRITER = List.of("/bin/sh", "-c", "echo out; echo err >&2; readlink /proc/$$/fd/3 || echo fd 3 closed");

  @TempDir
  Path dir;

  @Test
  void processWritesStdoutAndStderrStraightIntoTheFileItWasGiven() throws Exception {
    Path output = dir.resolve("output.log");
    List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "exec 3>>\"$0\" && exec \"$@\"", output.toString()));
    command.addAll(OciBundle.withOutputFd(WRITER));

    Run run = run(command);
    assertThat(run.stdout()).isEmpty();
    assertThat(Files.readString(output)).isEqualTo("out\nerr\nfd 3 closed\n");
  }

  @Test
  void processWithoutAnOutputFdKeepsItsOwnStdout() throws Exception {
    Run run = run(OciBundle.withOutputFd(WRITER));
    assertThat(run.stdout()).isEqualTo("out\nerr\nfd 3 closed\n");
    assertThat(run.exitCode()).isZero();
  }

  private record Run(String stdout, int exitCode) {}

  private static Run run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(stdout, process.waitFor());
  }
}
