package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Function URLs: configuration through the LambdaClient, then real HTTP requests in both address forms. */
class FunctionUrlIT {
  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension();
  private static RunningPlatform platform;
  private static LambdaClient lambda;
  private static String urlId;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    platform = PLATFORM.get();
    lambda = platform.lambda(1);
    lambda.createFunction(b -> b.functionName("notes").runtime(Runtime.JAVA17).handler("example.http.NotesApi::handleRequest")
        .memorySize(256).role("arn:aws:iam::000000000000:role/lambda").code(c -> c.zipFile(zip("http-api"))));
    lambda.createFunction(b -> b.functionName("plain").runtime(Runtime.JAVA17).handler("example.Hello::handleRequest")
        .memorySize(256).role("arn:aws:iam::000000000000:role/lambda").code(c -> c.zipFile(zip("hello-java"))));
    String url = lambda.createFunctionUrlConfig(b -> b.functionName("notes").authType(FunctionUrlAuthType.NONE)
        .cors(c -> c.allowOrigins("https://example.com").allowMethods("GET", "POST").exposeHeaders("x-amzn-RequestId"))).functionUrl();
    urlId = URI.create(url).getHost().split("\\.")[0];
  }

  @Test
  void configurationReadsBackAndIsUniquePerFunction() {
    var config = lambda.getFunctionUrlConfig(b -> b.functionName("notes"));
    assertThat(config.functionUrl()).isEqualTo("http://" + urlId + ".lambda-url.us-east-1.localhost:" + platform.platform.port() + "/");
    assertThat(config.authType()).isEqualTo(FunctionUrlAuthType.NONE);
    assertThat(config.cors().allowOrigins()).containsExactly("https://example.com");
    assertThatThrownBy(() -> lambda.createFunctionUrlConfig(b -> b.functionName("notes").authType(FunctionUrlAuthType.NONE)))
        .isInstanceOf(ResourceConflictException.class);
  }

  @Test
  void postsJsonAndReadsItBackByPath() throws Exception {
    HttpResponse<String> created = send(HttpRequest.newBuilder(path("/notes"))
        .POST(HttpRequest.BodyPublishers.ofString("buy figs")).header("Content-Type", "text/plain"));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("content-type")).hasValue("application/json");
    HttpResponse<String> listed = send(HttpRequest.newBuilder(path("/notes")).GET());
    assertThat(new JsonArray(listed.body())).contains("buy figs");
  }

  @Test
  void reachesTheFunctionByHostName() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(platform.endpoint() + "/whoami?a=1&a=2"))
        .header("Host", urlId + ".lambda-url.us-east-1.localhost").GET());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject seen = new JsonObject(response.body());
    assertThat(seen.getString("path")).isEqualTo("/whoami");
    assertThat(seen.getString("query")).isEqualTo("a=1&a=2");
  }

  @Test
  void passesCookiesBothWays() throws Exception {
    HttpResponse<String> whoami = send(HttpRequest.newBuilder(path("/whoami")).header("Cookie", "a=1; b=2").GET());
    assertThat(new JsonObject(whoami.body()).getJsonArray("cookies")).containsExactly("a=1", "b=2");
    HttpResponse<String> login = send(HttpRequest.newBuilder(path("/login")).GET());
    assertThat(login.statusCode()).isEqualTo(204);
    assertThat(login.headers().allValues("set-cookie")).containsExactly("session=tapir; Path=/; HttpOnly", "theme=dark; Path=/");
  }

  @Test
  void decodesBinaryBodies() throws Exception {
    HttpResponse<byte[]> pixel = http.send(HttpRequest.newBuilder(path("/pixel.gif")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(pixel.headers().firstValue("content-type")).hasValue("image/gif");
    assertThat(pixel.body()).isEqualTo(Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"));
  }

  @Test
  void answersCorsPreflightsAndDecoratesResponses() throws Exception {
    HttpResponse<String> preflight = send(HttpRequest.newBuilder(path("/notes")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://example.com").header("Access-Control-Request-Method", "POST"));
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("https://example.com");
    assertThat(preflight.headers().firstValue("access-control-allow-methods")).hasValue("GET,POST");
    HttpResponse<String> get = send(HttpRequest.newBuilder(path("/notes")).header("Origin", "https://example.com").GET());
    assertThat(get.headers().firstValue("access-control-allow-origin")).hasValue("https://example.com");
    HttpResponse<String> other = send(HttpRequest.newBuilder(path("/notes")).header("Origin", "https://evil.example").GET());
    assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
  }

  @Test
  void aBareResultBecomesA200JsonBody() throws Exception {
    String plainId = URI.create(lambda.createFunctionUrlConfig(b -> b.functionName("plain").authType(FunctionUrlAuthType.NONE))
        .functionUrl()).getHost().split("\\.")[0];
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(platform.endpoint() + "/_/url/" + plainId + "/")).GET());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(new JsonObject(response.body()).getString("message")).isEqualTo("Hello, world!");
  }

  @Test
  void unknownUrlIsNotFound() throws Exception {
    assertThat(send(HttpRequest.newBuilder(URI.create(platform.endpoint() + "/_/url/nosuchurl/")).GET()).statusCode()).isEqualTo(404);
  }

  private URI path(String path) {
    return URI.create(platform.endpoint() + "/_/url/" + urlId + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static software.amazon.awssdk.core.SdkBytes zip(String name) {
    try {
      return RunningPlatform.example(name);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
