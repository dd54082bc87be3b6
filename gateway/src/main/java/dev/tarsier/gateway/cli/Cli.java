package dev.tarsier.gateway.cli;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./tarsier deploy | invoke | logs}: conveniences over the platform's own HTTP APIs, so a user
 * needs neither the AWS CLI nor a zip tool. The endpoint is {@code TARSIER_ENDPOINT}, or the default
 * edge address.
 */
public final class Cli {
  /**
   * Whether the output goes to a terminal, where progress is redrawn in place; elsewhere (a pipe, a log
   * file) it is printed as a few whole lines. The {@code tarsier} script sets {@code tarsier.terminal}.
   */
  static final boolean TERMINAL = !"false".equals(System.getProperty("tarsier.terminal"));
  private Cli() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println("usage: tarsier deploy|invoke|logs|demo ...");
      System.exit(2);
    }
    URI endpoint = URI.create(System.getenv().getOrDefault("TARSIER_ENDPOINT", "http://127.0.0.1:9070"));
    LambdaHttp lambda = new LambdaHttp(endpoint);
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    try {
      int status = switch (args[0]) {
        case "deploy" -> new Deploy(lambda).run(rest);
        case "invoke" -> new InvokeCommand(lambda).run(rest);
        case "logs" -> new LogsCommand(lambda).run(rest);
        case "demo" -> new Demo(lambda, java.nio.file.Path.of(System.getProperty("tarsier.examples", "functions/examples"))).run(rest);
        default -> {
          System.err.println("tarsier: unknown command " + args[0]);
          yield 2;
        }
      };
      System.exit(status);
    } catch (CliFailure e) {
      System.err.println("tarsier: " + e.getMessage());
      System.exit(1);
    } catch (java.net.ConnectException e) {
      System.err.println("tarsier: nothing is listening at " + endpoint + " (start it with ./tarsier up, or set TARSIER_ENDPOINT)");
      System.exit(1);
    } catch (Exception e) {
      System.err.println("tarsier: " + e);
      System.exit(1);
    }
  }
}
