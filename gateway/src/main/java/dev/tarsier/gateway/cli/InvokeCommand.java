package dev.tarsier.gateway.cli;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * {@code tarsier invoke <fn> [event.json | -]}: invokes synchronously with the log tail, then prints
 * the log (START … REPORT) and the result; exits 1 when the function failed.
 */
final class InvokeCommand {
  private final LambdaHttp lambda;

  InvokeCommand(LambdaHttp lambda) {
    this.lambda = lambda;
  }

  int run(List<String> args) throws IOException, InterruptedException {
    if (args.isEmpty() || args.size() > 2) {
      throw new CliFailure("usage: tarsier invoke <function> [event.json | -]");
    }
    byte[] event;
    if (args.size() == 1) {
      event = "{}".getBytes(StandardCharsets.UTF_8);
    } else if (args.get(1).equals("-")) {
      event = System.in.readAllBytes();
    } else {
      Path file = Path.of(args.get(1));
      if (!Files.isRegularFile(file)) {
        throw new CliFailure("no such event file: " + file);
      }
      event = Files.readAllBytes(file);
    }
    LambdaHttp.Reply reply = LambdaHttp.expect(lambda.send(HttpRequest.newBuilder(
            lambda.endpoint().resolve("/2015-03-31/functions/" + LambdaHttp.encode(args.get(0)) + "/invocations"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(event))
        .header("X-Amz-Log-Type", "Tail")
        .timeout(Duration.ofMinutes(16))), 200);
    reply.raw().headers().firstValue("X-Amz-Log-Result")
        .ifPresent(log -> System.out.print(new String(Base64.getDecoder().decode(log), StandardCharsets.UTF_8)));
    String error = reply.raw().headers().firstValue("X-Amz-Function-Error").orElse(null);
    System.out.println();
    System.out.println(error == null ? "result:" : "function error (" + error + "):");
    System.out.println(reply.body());
    return error == null ? 0 : 1;
  }
}
