package dev.tarsier.gateway.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code tarsier logs <fn> [--follow]}: the function's recent invocation logs, oldest first; with
 * {@code --follow}, then every new invocation's log as it ends, until Ctrl-C.
 */
final class LogsCommand {
  private final LambdaHttp lambda;

  LogsCommand(LambdaHttp lambda) {
    this.lambda = lambda;
  }

  int run(List<String> args) throws IOException, InterruptedException {
    boolean follow = args.contains("--follow") || args.contains("-f");
    List<String> names = args.stream().filter(a -> !a.startsWith("-")).toList();
    if (names.size() != 1) {
      throw new CliFailure("usage: tarsier logs <function> [--follow]");
    }
    String function = LambdaHttp.encode(names.get(0));
    LambdaHttp.expect(lambda.send("GET", "/2015-03-31/functions/" + function, null), 200);
    System.out.print(LambdaHttp.expect(lambda.send("GET", "/_/api/functions/" + function + "/logs", null), 200).body());
    if (!follow) {
      return 0;
    }
    System.err.println("-- following " + names.get(0) + " (Ctrl-C stops) --");
    try (BufferedReader events = new BufferedReader(new InputStreamReader(
        lambda.stream("/_/api/functions/" + function + "/logs?follow=true"), StandardCharsets.UTF_8))) {
      String line;
      while ((line = events.readLine()) != null) {
        if (line.startsWith("data: ")) {
          System.out.println(line.substring("data: ".length()));
          System.out.flush();
        }
      }
    }
    return 0;
  }
}
