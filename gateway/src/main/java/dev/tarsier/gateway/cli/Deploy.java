package dev.tarsier.gateway.cli;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code tarsier deploy <file-or-dir> [--name N] [--runtime R] [--handler H] [--memory MB] [--timeout S] [--env K=V]...}:
 * zips what it is given (a .js or .py file, a directory, a Maven module's built zip, a jar or zip as is),
 * then creates the function or updates its code and configuration. Defaults come from the file:
 * {@code .js} → nodejs20.x with {@code <name>.handler}, {@code .py} → python3.11 with {@code <name>.handler},
 * a jar or a Maven module → java17 (the handler must be given).
 */
final class Deploy {
  private final LambdaHttp lambda;

  Deploy(LambdaHttp lambda) {
    this.lambda = lambda;
  }

  int run(List<String> args) throws IOException, InterruptedException {
    Options options = Options.parse(args);
    Path source = Path.of(options.target).toAbsolutePath().normalize();
    if (!Files.exists(source)) {
      throw new CliFailure("no such file or directory: " + options.target);
    }
    Package pkg = pack(source);
    String name = options.name != null ? options.name : pkg.name;
    String runtime = options.runtime != null ? options.runtime : pkg.runtime;
    String handler = options.handler != null ? options.handler : pkg.handler;
    if (runtime == null) {
      throw new CliFailure("cannot tell the runtime of " + source.getFileName() + "; pass --runtime");
    }
    if (handler == null) {
      throw new CliFailure("cannot guess the handler of " + source.getFileName() + "; pass --handler (e.g. example.Hello::handleRequest)");
    }
    JsonObject settings = new JsonObject().put("Runtime", runtime).put("Handler", handler);
    if (options.memory != null) {
      settings.put("MemorySize", options.memory);
    }
    if (options.timeout != null) {
      settings.put("Timeout", options.timeout);
    }
    if (!options.env.isEmpty()) {
      settings.put("Environment", new JsonObject().put("Variables", new JsonObject(new LinkedHashMap<>(options.env))));
    }
    String zip = Base64.getEncoder().encodeToString(pkg.zip);
    System.out.printf("uploading %s (%,d bytes) as %s (%s, %s) to %s%n", source.getFileName(), pkg.zip.length, name, runtime, handler,
        lambda.endpoint());
    LambdaHttp.Reply exists = lambda.send("GET", "/2015-03-31/functions/" + LambdaHttp.encode(name), null);
    JsonObject result;
    if (exists.status() == 404) {
      settings.put("FunctionName", name).put("Role", "arn:aws:iam::000000000000:role/lambda").put("Code", new JsonObject().put("ZipFile", zip));
      result = LambdaHttp.expect(lambda.sendWithProgress("POST", "/2015-03-31/functions", settings.encode()), 201).json();
      System.out.println("created " + result.getString("FunctionArn"));
    } else {
      LambdaHttp.expect(exists, 200);
      LambdaHttp.expect(lambda.sendWithProgress("PUT", "/2015-03-31/functions/" + LambdaHttp.encode(name) + "/code",
          new JsonObject().put("ZipFile", zip).encode()), 200);
      result = LambdaHttp.expect(lambda.send("PUT", "/2015-03-31/functions/" + LambdaHttp.encode(name) + "/configuration",
          settings.encode()), 200).json();
      System.out.println("updated " + result.getString("FunctionArn"));
    }
    System.out.printf("  code %s  memory %d MB  timeout %d s%n  try: ./tarsier invoke %s%n", result.getString("CodeSha256"),
        result.getInteger("MemorySize"), result.getInteger("Timeout"), name);
    return 0;
  }

  private record Package(byte[] zip, String name, String runtime, String handler) {}

  private static Package pack(Path source) throws IOException {
    String file = source.getFileName().toString();
    String base = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
    if (Files.isDirectory(source)) {
      if (Files.exists(source.resolve("pom.xml"))) {
        Path built = source.resolve("target").resolve(file + ".zip");
        if (!Files.exists(built)) {
          throw new CliFailure("build the module first (./mvnw package): " + built + " is missing");
        }
        return new Package(Files.readAllBytes(built), file, "java17", null);
      }
      return new Package(zipDirectory(source), file, guessRuntime(source), null);
    }
    if (file.endsWith(".js") || file.endsWith(".mjs") || file.endsWith(".cjs")) {
      return new Package(zipFile(source), base, "nodejs20.x", base + ".handler");
    }
    if (file.endsWith(".py")) {
      return new Package(zipFile(source), base, "python3.11", base + ".handler");
    }
    if (file.endsWith(".jar")) {
      return new Package(Files.readAllBytes(source), base, "java17", null);
    }
    if (file.endsWith(".zip")) {
      return new Package(Files.readAllBytes(source), base, null, null);
    }
    throw new CliFailure("do not know how to deploy " + file + ": give a .js, .py, .jar or .zip file, or a directory");
  }

  private static String guessRuntime(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      if (names.contains("bootstrap")) {
        return "provided.al2023";
      }
      if (names.stream().anyMatch(n -> n.endsWith(".js") || n.endsWith(".mjs"))) {
        return "nodejs20.x";
      }
      if (names.stream().anyMatch(n -> n.endsWith(".py"))) {
        return "python3.11";
      }
      return null;
    }
  }

  private static byte[] zipFile(Path file) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(file.getFileName().toString()));
      Files.copy(file, zip);
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  private static byte[] zipDirectory(Path dir) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> files = Files.walk(dir)) {
      for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
        zip.putNextEntry(new ZipEntry(dir.relativize(path).toString().replace('\\', '/')));
        Files.copy(path, zip);
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** The command line of {@code deploy}. */
  private static final class Options {
    String target;
    String name;
    String runtime;
    String handler;
    Integer memory;
    Integer timeout;
    final Map<String, String> env = new LinkedHashMap<>();

    static Options parse(List<String> args) {
      Options options = new Options();
      List<String> positional = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        if (!arg.startsWith("--")) {
          positional.add(arg);
          continue;
        }
        if (i + 1 >= args.size()) {
          throw new CliFailure(arg + " needs a value");
        }
        String value = args.get(++i);
        switch (arg) {
          case "--name" -> options.name = value;
          case "--runtime" -> options.runtime = value;
          case "--handler" -> options.handler = value;
          case "--memory" -> options.memory = number(arg, value);
          case "--timeout" -> options.timeout = number(arg, value);
          case "--env" -> {
            int eq = value.indexOf('=');
            if (eq <= 0) {
              throw new CliFailure("--env takes KEY=VALUE, got " + value);
            }
            options.env.put(value.substring(0, eq), value.substring(eq + 1));
          }
          default -> throw new CliFailure("unknown option " + arg);
        }
      }
      if (positional.size() != 1) {
        throw new CliFailure("usage: tarsier deploy <file-or-dir> [--name N] [--runtime R] [--handler H] [--memory MB] [--timeout S] [--env K=V]");
      }
      options.target = positional.get(0);
      return options;
    }

    private static int number(String option, String value) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new CliFailure(option + " takes a number, got " + value);
      }
    }
  }
}
