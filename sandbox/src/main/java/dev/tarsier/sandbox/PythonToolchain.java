package dev.tarsier.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code python3.11}: the host's Python 3.11 running our own bootstrap ({@code runtimes/python/bootstrap.py},
 * standard library only), which speaks the Runtime API and calls {@code module.function} handlers as
 * Lambda's Python runtime does.
 */
record PythonToolchain(Path python) implements Toolchain {
  static final String BOOTSTRAP = "runtimes/python/bootstrap.py";

  @Override
  public Runtimes.Launch launch(SandboxSpec spec, Map<String, String> env) {
    // -S: no site packages. The host's are not Lambda's, and a function that only works because of
    // them would fail on AWS; skipping site also takes a few milliseconds off every cold start.
    List<String> args = List.of(python.toString(), "-u", "-S", "/var/runtime/python/bootstrap.py");
    env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + RuntimeId.PYTHON311.wireName());
    env.put("PYTHONPATH", "/var/task");
    env.put("PYTHONUNBUFFERED", "1");
    // /var/task and /var/runtime are read-only; trying to write bytecode there only costs time.
    env.put("PYTHONDONTWRITEBYTECODE", "1");
    return new Runtimes.Launch(args, env, List.of());
  }

  /** The toolchain when {@code python} exists; installs the bootstrap under {@code runtimesDir}. */
  static Optional<PythonToolchain> find(Path python, Path runtimesDir) throws IOException {
    if (!Files.isExecutable(python)) {
      return Optional.empty();
    }
    RuntimeFiles.install(BOOTSTRAP, runtimesDir.resolve("python/bootstrap.py"));
    return Optional.of(new PythonToolchain(python));
  }
}
