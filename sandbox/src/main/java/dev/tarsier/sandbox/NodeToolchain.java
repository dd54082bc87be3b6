package dev.tarsier.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code nodejs20.x}: the host's Node.js 20 running our own bootstrap ({@code runtimes/node/bootstrap.js},
 * no dependencies), which speaks the Runtime API and calls the handler as Lambda's Node.js runtime does.
 */
record NodeToolchain(Path node) implements Toolchain {
  static final String BOOTSTRAP = "runtimes/node/bootstrap.js";
  private static final long VERSION_TIMEOUT_SECONDS = 10;

  @Override
  public Runtimes.Launch launch(SandboxSpec spec, Map<String, String> env) {
    // Lambda's own split of the memory between V8's young and old generations, so that a heap
    // that outgrows the function's memory fails in V8 with a message before the cgroup kills it.
    int newSpaceMb = Math.max(2, spec.memoryMb() / 10);
    List<String> args = List.of(
        node.toString(),
        "--expose-gc",
        "--max-http-header-size=81920",
        "--max-semi-space-size=" + Math.max(1, newSpaceMb / 2),
        "--max-old-space-size=" + (spec.memoryMb() - newSpaceMb),
        "/var/runtime/node/bootstrap.js");
    env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + RuntimeId.NODEJS20.wireName());
    env.put("NODE_PATH", "/opt/nodejs/node20/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task");
    return new Runtimes.Launch(args, env, List.of());
  }

  /** The toolchain when {@code node} exists and is major version 20; installs the bootstrap under {@code runtimesDir}. */
  static Optional<NodeToolchain> find(Path node, Path runtimesDir) throws IOException {
    if (!Files.isExecutable(node) || majorVersion(node) != 20) {
      return Optional.empty();
    }
    RuntimeFiles.install(BOOTSTRAP, runtimesDir.resolve("node/bootstrap.js"));
    return Optional.of(new NodeToolchain(node));
  }

  /** Asks {@code node --version} (prints e.g. {@code v20.20.2}); -1 when it cannot tell. */
  static int majorVersion(Path node) throws IOException {
    Process process = new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
    try {
      if (!process.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return process.exitValue() == 0 && version.matches("v\\d+\\..*") ? Integer.parseInt(version.substring(1, version.indexOf('.'))) : -1;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking " + node + " for its version", e);
    }
  }
}
