package dev.tarsier.invoker;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

/** Lambda's rules for function names and settings; each broken rule is an InvalidParameterValue naming it. */
final class FunctionRules {
  static final int DEFAULT_MEMORY_MB = 128;
  static final int DEFAULT_TIMEOUT_S = 3;
  static final int DEFAULT_EPHEMERAL_MB = 512;
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final Pattern JAVA_HANDLER = Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*(::[A-Za-z_$][\\w$]*)?");
  /** {@code dir/file.export}: the file's name has no dot and no directory is hidden or {@code ..}; the export may be nested. */
  private static final Pattern NODE_HANDLER = Pattern.compile("([\\w@$-][\\w@$.-]*/)*[\\w@$-]+(\\.[A-Za-z_$][\\w$]*)+");
  /**
   * {@code pkg/module.function}. The module is loaded with importlib, which takes names an import statement
   * would not ({@code my-function}, {@code 1app}); no part may be empty, so no path is absolute or {@code ..}.
   */
  private static final Pattern PYTHON_HANDLER = Pattern.compile("[\\w-]+([./][\\w-]+)*\\.[A-Za-z_]\\w*");
  private static final Pattern ENV_KEY = Pattern.compile("[a-zA-Z]([a-zA-Z0-9_])+");

  private FunctionRules() {}

  static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw invalid("1 validation error detected: Value '" + name + "' at 'functionName' failed to satisfy constraint: "
          + "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]{1,64}");
    }
  }

  /** Checks a complete configuration (defaults applied) against this platform's runtimes. */
  static void check(FunctionConfig f, Collection<String> runtimes) {
    if (f.runtime() == null || !runtimes.contains(f.runtime())) {
      throw invalid("Value " + f.runtime() + " at 'runtime' failed to satisfy constraint: this platform offers "
          + String.join(", ", runtimes.stream().sorted().toList()));
    }
    if (f.handler() == null || f.handler().isBlank()) {
      throw invalid("Handler is required for runtime " + f.runtime());
    }
    checkHandler(f.runtime(), f.handler());
    if (f.memorySize() < 128 || f.memorySize() > 10240) {
      throw invalid("1 validation error detected: Value '" + f.memorySize()
          + "' at 'memorySize' failed to satisfy constraint: Member must have value between 128 and 10240");
    }
    if (f.timeout() < 1 || f.timeout() > 900) {
      throw invalid("1 validation error detected: Value '" + f.timeout()
          + "' at 'timeout' failed to satisfy constraint: Member must have value between 1 and 900");
    }
    if (f.ephemeralStorage() < 512 || f.ephemeralStorage() > 10240) {
      throw invalid("1 validation error detected: Value '" + f.ephemeralStorage()
          + "' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value between 512 and 10240");
    }
    checkEnvironment(f.environment());
  }

  /** Checks the handler's form for the runtimes that read it; {@code provided} runtimes take any string. */
  private static void checkHandler(String runtime, String handler) {
    if (runtime.startsWith("java") && !JAVA_HANDLER.matcher(handler).matches()) {
      throw invalid("Handler '" + handler + "' is not a Java handler: use package.Class::method or package.Class");
    }
    if (runtime.startsWith("nodejs") && !NODE_HANDLER.matcher(handler).matches()) {
      throw invalid("Handler '" + handler + "' is not a Node.js handler: use path/file.function, e.g. index.handler");
    }
    if (runtime.startsWith("python") && !PYTHON_HANDLER.matcher(handler).matches()) {
      throw invalid("Handler '" + handler + "' is not a Python handler: use path/module.function, e.g. app.handler");
    }
  }

  private static void checkEnvironment(Map<String, String> environment) {
    int total = 0;
    for (Map.Entry<String, String> entry : environment.entrySet()) {
      if (!ENV_KEY.matcher(entry.getKey()).matches()) {
        throw invalid("Environment variable name '" + entry.getKey() + "' must match [a-zA-Z]([a-zA-Z0-9_])+");
      }
      total += entry.getKey().getBytes(StandardCharsets.UTF_8).length + entry.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (total > 4096) {
      throw invalid("Lambda was unable to configure your environment variables because the environment variables you have "
          + "provided exceeded the 4KB limit. String measured: " + total + " bytes");
    }
  }

  private static LambdaFailure.InvalidParameterValue invalid(String message) {
    return new LambdaFailure.InvalidParameterValue(message);
  }
}
