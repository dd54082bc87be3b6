package dev.tarsier.sandbox.runc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One small wrapper around the runc binary: one method per subcommand we use, each bounded by its own
 * timeout, failures typed as {@link RuncFailure}. Every method blocks; call them from a worker thread.
 * All containers live under one state directory ({@code --root}) that belongs to this platform, so a
 * restart can find and remove what a crashed run left behind.
 */
public final class Runc {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  private final Path binary;
  private final Path root;

  public Runc(Path binary, Path root) {
    this.binary = binary;
    this.root = root;
  }

  /** Finds runc on the usual paths, or returns null when this machine has none. */
  public static Path locate() {
    for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin", "/bin")) {
      Path candidate = Path.of(dir, "runc");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * The descriptor on which a container started by {@link #run} finds its output file, open for appending.
   * Without it runc (in the foreground, without a terminal) hands the container pipes and copies them into
   * the file from goroutines of its own, so a line the runtime wrote before answering an event could reach
   * the file after the platform had read it, and land in the next event's log.
   */
  public static final int OUTPUT_FD = 3;

  /**
   * Starts {@code runc run --keep}: the returned process lives as long as the container's init process,
   * whose stdout and stderr are appended to {@code output} (given to it as {@link #OUTPUT_FD}; runc's own
   * messages go there too). With {@code --keep} the stopped container and its cgroup stay until
   * {@link #delete}, so its memory counters can be read after it exits.
   */
  public Process run(String id, Path bundle, Path output) throws IOException {
    Files.createDirectories(root);
    // Java passes a child no descriptor beyond 0-2: a shell opens the file as fd 3, then becomes runc.
    List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "exec " + OUTPUT_FD + ">>\"$0\" && exec \"$@\"", output.toString()));
    command.addAll(command("run", "--keep", "--preserve-fds", "1", "--bundle", bundle.toString(), id));
    return new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
        .redirectErrorStream(true)
        .start();
  }

  /** Sends a signal to the container's processes; a container that is already stopped is not an error. */
  public void kill(String id, String signal) {
    List<String> command = command("kill", "--all", id, signal);
    Command.Result result = exec(command);
    if (result.exitCode() != 0 && !result.stderr().contains("not running") && !result.stderr().contains("does not exist")) {
      throw new RuncFailure(command, result.exitCode(), result.stderr());
    }
  }

  /** Forcibly deletes the container and its cgroups; deleting one that does not exist is not an error. */
  public void delete(String id) {
    List<String> command = command("delete", "--force", id);
    Command.Result result = exec(command);
    if (result.exitCode() != 0 && !result.stderr().contains("does not exist")) {
      throw new RuncFailure(command, result.exitCode(), result.stderr());
    }
  }

  /** The ids of every container under this platform's state directory. */
  public List<String> list() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<String> command = command("list", "--quiet");
    Command.Result result = exec(command);
    if (result.exitCode() != 0) {
      throw new RuncFailure(command, result.exitCode(), result.stderr());
    }
    return result.stdout().lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
  }

  private List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--root");
    command.add(root.toString());
    command.addAll(List.of(args));
    return command;
  }

  private static Command.Result exec(List<String> command) {
    try {
      return new Command(command).run(COMMAND_TIMEOUT);
    } catch (IOException e) {
      throw new RuncFailure(command, e.getMessage());
    }
  }
}
