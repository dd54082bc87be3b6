package dev.tarsier.gateway.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a cold or warm invocation cannot beat on this machine, measured in the same run: starting a
 * container that does nothing, starting the bare JVM in the same container, and one HTTP round trip.
 */
final class Floors {
  private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

  private Floors() {}

  /**
   * The process a live sandbox's runtime was started with, without the shell that hands it its output
   * descriptor.
   */
  static List<String> runtimeCommand(Path sandboxBundle) throws IOException {
    List<String> args = new ArrayList<>();
    new JsonObject(Files.readString(sandboxBundle.resolve("config.json"))).getJsonObject("process").getJsonArray("args")
        .forEach(arg -> args.add(arg.toString()));
    int marker = args.indexOf("runtime");
    return args.get(0).equals("/bin/sh") && marker > 0 ? new ArrayList<>(args.subList(marker + 1, args.size())) : args;
  }

  /** The bare runtime's hello world for {@code runtime}: the JVM with the sandbox's own flags, node, python. */
  static List<String> helloCommand(String runtime, List<String> runtimeCommand) {
    if (runtime.startsWith("java")) {
      List<String> command = new ArrayList<>();
      for (String arg : runtimeCommand) {
        if (arg.equals("-cp") || arg.equals(RIC_MAIN)) {
          break;
        }
        command.add(arg);
      }
      command.add("-version");
      return command;
    }
    if (runtime.startsWith("nodejs")) {
      return List.of(runtimeCommand.get(0), "-e", "console.log('hello')");
    }
    if (runtime.startsWith("python")) {
      return List.of(runtimeCommand.get(0), "-c", "print('hello')");
    }
    return List.of("/bin/true");
  }

  /** {@code runc run} of the bundle a live sandbox was started from, with its process replaced by {@code command}. */
  static Samples runcRun(Path sandboxBundle, Path scratch, List<String> command, int samples) throws Exception {
    JsonObject config = new JsonObject(Files.readString(sandboxBundle.resolve("config.json")));
    config.getJsonObject("process").put("args", new JsonArray(new ArrayList<>(command)));
    Path bundle = Files.createDirectories(scratch.resolve("floor-bundle"));
    Path root = scratch.resolve("floor-runc");
    Samples times = new Samples();
    for (int i = 0; i < samples; i++) {
      String id = "bench-floor-" + ProcessHandle.current().pid() + "-" + i;
      config.getJsonObject("linux").put("cgroupsPath", "/tarsier/" + id);
      Files.writeString(bundle.resolve("config.json"), config.encode());
      long start = System.nanoTime();
      Process run = new ProcessBuilder("runc", "--root", root.toString(), "run", "--bundle", bundle.toString(), id)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!run.waitFor(60, TimeUnit.SECONDS) || run.exitValue() != 0) {
        run.destroyForcibly();
        throw new IOException("runc run " + command + " failed: exit " + (run.isAlive() ? "none" : run.exitValue()));
      }
      times.add(System.nanoTime() - start);
    }
    return times;
  }

  /** One HTTP/1.1 request and response on loopback with a keep-alive connection, {@code samples} times. */
  static Samples httpRoundTrip(Vertx vertx, int samples) throws Exception {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true))
        .requestHandler(request -> request.body().onSuccess(body -> request.response().end("ok")))
        .listen().await(10, TimeUnit.SECONDS);
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true));
    io.vertx.core.Context context = vertx.getOrCreateContext();
    Samples times = new Samples();
    try {
      for (int i = 0; i < samples + 200; i++) {
        long start = System.nanoTime();
        InvokeClient.on(context, () -> client.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/")
            .compose(request -> request.send("{}"))
            .compose(response -> response.body()))
            .await(10, TimeUnit.SECONDS);
        if (i >= 200) {
          times.add(System.nanoTime() - start);
        }
      }
    } finally {
      client.close();
      server.close();
    }
    return times;
  }
}
