package dev.tarsier.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Sandboxes as plain child processes, for machines without runc or root. The runtime's container paths
 * ({@code /var/runtime}, {@code /var/task}, {@code /tmp}) are mapped to host directories; the limits are
 * only those a process gets: the deadline (always), the Java heap cap the runtime sets, and nothing for
 * files outside the sandbox's own tmp directory. Nothing is frozen.
 */
final class ProcessIsolation implements Isolation {
  private static final Logger LOG = Logger.getLogger(ProcessIsolation.class.getName());
  private static final String PID_FILE = "process.pid";

  private final SandboxConfig config;
  private final Path runtimesDir;
  private final String why;

  /** {@code why} says why containers are not used, for the banner. */
  ProcessIsolation(SandboxConfig config, Path runtimesDir, String why) {
    this.config = config;
    this.runtimesDir = runtimesDir;
    this.why = why;
  }

  @Override
  public String describe() {
    return "plain processes, NOT isolated (" + why + "): deadline enforced, Java heap capped, no memory, CPU, pids "
        + "or file-system limits, no OOM detection, idle sandboxes not frozen";
  }

  @Override
  public boolean freezes() {
    return false;
  }

  @Override
  public Container launch(String id, Path dir, SandboxSpec spec, Runtimes.Launch launch, Path output) throws IOException {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Map<String, String> paths = new LinkedHashMap<>();
    paths.put("/var/runtime", runtimesDir.toString());
    paths.put("/var/task", spec.codeDir().toString());
    paths.put("/tmp", tmp.toString());
    List<String> args = new ArrayList<>(launch.args().stream().map(arg -> mapPaths(arg, paths)).toList());
    if (args.get(0).endsWith("/java")) {
      args.add(1, "-Djava.io.tmpdir=" + tmp);
    }
    ProcessBuilder builder = new ProcessBuilder(args)
        .directory(spec.codeDir().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
        .redirectErrorStream(true);
    builder.environment().clear();
    launch.env().forEach((key, value) -> builder.environment().put(key, mapPaths(value, paths)));
    builder.environment().put("TMPDIR", tmp.toString());
    Process process = builder.start();
    try {
      Files.writeString(dir.resolve(PID_FILE), process.pid() + " " + startMillis(process.toHandle()));
    } catch (IOException e) {
      process.destroyForcibly();
      throw e;
    }
    return new ChildProcess(process);
  }

  /**
   * Replaces container paths by host paths where they stand as whole path prefixes, in one pass: a host
   * path put in (say {@code /tmp/x/code} for {@code /var/task}) is never itself mapped again.
   */
  static String mapPaths(String value, Map<String, String> paths) {
    String alternatives = String.join("|", paths.keySet().stream().map(Pattern::quote).toList());
    Pattern pattern = Pattern.compile("(?<![\\w.-])(" + alternatives + ")(?=$|[/:])");
    return pattern.matcher(value).replaceAll(match -> Matcher.quoteReplacement(paths.get(match.group(1))));
  }

  @Override
  public void removeLeftovers() throws IOException {
    if (!Files.isDirectory(config.sandboxesDir())) {
      return;
    }
    List<Path> pidFiles;
    try (Stream<Path> dirs = Files.list(config.sandboxesDir())) {
      pidFiles = dirs.map(dir -> dir.resolve(PID_FILE)).filter(Files::isRegularFile).toList();
    }
    for (Path pidFile : pidFiles) {
      String[] parts = Files.readString(pidFile).strip().split(" ");
      long pid = Long.parseLong(parts[0]);
      long started = Long.parseLong(parts[1]);
      // The pid may since have gone to another process: only the one that started then is ours.
      ProcessHandle.of(pid).filter(handle -> startMillis(handle) == started).ifPresent(handle -> {
        LOG.info("killing runtime process left by a previous run: " + pid);
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        handle.destroyForcibly();
      });
    }
  }

  private static long startMillis(ProcessHandle handle) {
    return handle.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
  }

  private static final class ChildProcess implements Container {
    private final Process process;

    ChildProcess(Process process) {
      this.process = process;
    }

    @Override
    public CompletionStage<Integer> exited() {
      return process.onExit().thenApply(Process::exitValue);
    }

    @Override
    public Usage usage() {
      long peak = statusKb(process.pid(), "VmHWM:");
      long current = statusKb(process.pid(), "VmRSS:")
          + process.descendants().mapToLong(child -> statusKb(child.pid(), "VmRSS:")).sum();
      return new Usage(peak * 1024, current * 1024, false);
    }

    @Override
    public boolean holdsConnection(int clientPort, int serverPort) throws IOException {
      List<Long> pids = new ArrayList<>();
      pids.add(process.pid());
      process.descendants().forEach(child -> pids.add(child.pid()));
      return LoopbackPeers.heldBy(pids, clientPort, serverPort);
    }

    @Override
    public void freeze() {}

    @Override
    public void thaw() {}

    @Override
    public void terminate() {
      process.destroy();
    }

    @Override
    public void kill() {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }

    @Override
    public void remove() {}

    private static long statusKb(long pid, String field) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
          if (line.startsWith(field)) {
            return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
          }
        }
      } catch (IOException | NumberFormatException e) {
        return 0;
      }
      return 0;
    }
  }
}
