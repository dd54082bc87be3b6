package dev.tarsier.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code provided.al2023} and {@code provided}: the function's own {@code bootstrap} executable, which
 * speaks the Runtime API itself. Always offered; Lambda sets no {@code AWS_EXECUTION_ENV} for these.
 */
record CustomBootstrap() implements Toolchain {
  static final String ENTRYPOINT = "/var/task/bootstrap";

  /**
   * Fails as Lambda does, with {@code Runtime.InvalidEntrypoint}, when the code has no executable
   * {@code bootstrap}: runc would only say that it could not exec, in words of its own.
   */
  @Override
  public Runtimes.Launch launch(SandboxSpec spec, Map<String, String> env) {
    Path bootstrap = spec.codeDir().resolve("bootstrap");
    if (!Files.isRegularFile(bootstrap) || !Files.isExecutable(bootstrap)) {
      String reason = Files.exists(bootstrap) ? "fork/exec " + ENTRYPOINT + ": permission denied"
          : "Couldn't find valid bootstrap(s): [" + ENTRYPOINT + " /opt/bootstrap]";
      throw new SandboxFailure.InitFailed(
          new Outcome.InitFailed("Runtime.InvalidEntrypoint", ErrorBodies.of("Runtime.InvalidEntrypoint", reason)), "", 0);
    }
    return new Runtimes.Launch(List.of(ENTRYPOINT), env, List.of());
  }
}
