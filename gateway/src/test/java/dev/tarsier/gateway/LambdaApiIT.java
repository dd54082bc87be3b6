package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** The Lambda control plane and Invoke's variants through the real LambdaClient. */
class LambdaApiIT {
  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension();
  private static RunningPlatform platform;
  private static LambdaClient lambda;
  private static SdkBytes helloZip;

  @BeforeAll
  static void start() throws Exception {
    platform = PLATFORM.get();
    lambda = platform.lambda(1);
    helloZip = RunningPlatform.example("hello-java");
  }

  @Test
  void functionConfigurationHasLambdasShape() throws Exception {
    FunctionConfiguration created = create("shape", b -> b.environment(e -> e.variables(Map.of("GREETING", "hi"))).description("d"));
    byte[] sha = MessageDigest.getInstance("SHA-256").digest(helloZip.asByteArray());
    assertThat(created.codeSha256()).isEqualTo(Base64.getEncoder().encodeToString(sha));
    assertThat(created.codeSize()).isEqualTo(helloZip.asByteArray().length);
    assertThat(created.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:shape");
    assertThat(created.stateAsString()).isEqualTo("Active");
    assertThat(created.lastModified()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");
    assertThat(created.revisionId()).isNotBlank();
    assertThat(created.environment().variables()).containsEntry("GREETING", "hi");
    assertThat(created.ephemeralStorage().size()).isEqualTo(512);

    GetFunctionResponse got = lambda.getFunction(b -> b.functionName("arn:aws:lambda:us-east-1:000000000000:function:shape"));
    assertThat(got.configuration().revisionId()).isEqualTo(created.revisionId());
    assertThat(lambda.getFunctionConfiguration(b -> b.functionName("shape")).handler()).isEqualTo("example.Hello::handleRequest");
  }

  @Test
  void creatingTwiceIsAConflict() throws Exception {
    create("twice", b -> { });
    assertThatThrownBy(() -> create("twice", b -> { }))
        .isInstanceOfSatisfying(ResourceConflictException.class, e -> assertThat(e.getMessage()).contains("Function already exist: twice"));
  }

  @Test
  void badSettingsAreInvalidParameterValues() {
    assertThatThrownBy(() -> create("bad-runtime", b -> b.runtime("java21")))
        .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("java17").hasMessageContaining("java25");
    assertThatThrownBy(() -> create("bad-memory", b -> b.memorySize(64)))
        .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("memorySize");
    assertThatThrownBy(() -> create("bad-timeout", b -> b.timeout(901)))
        .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("timeout");
    assertThatThrownBy(() -> create("bad-handler", b -> b.handler("not a handler!")))
        .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("Handler");
    assertThatThrownBy(() -> lambda.getFunction(b -> b.functionName("bad-memory"))).isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void listsFunctionsPageByPage() throws Exception {
    for (String name : List.of("page-a", "page-b", "page-c")) {
      create(name, b -> { });
    }
    List<String> names = lambda.listFunctionsPaginator(b -> b.maxItems(1)).functions().stream()
        .map(FunctionConfiguration::functionName).filter(n -> n.startsWith("page-")).toList();
    assertThat(names).containsExactly("page-a", "page-b", "page-c");
    var firstPage = lambda.listFunctions(b -> b.maxItems(2));
    assertThat(firstPage.functions()).hasSize(2);
    assertThat(firstPage.nextMarker()).isNotNull();
  }

  @Test
  void acceptsListFunctionsWithATrailingSlash() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(platform.endpoint() + "/2015-03-31/functions/")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"Functions\"");
  }

  @Test
  void updatesCodeAndConfiguration() throws Exception {
    FunctionConfiguration created = create("updated", b -> b.environment(e -> e.variables(Map.of("ALPHA", "1", "BETA", "2"))));
    var configured = lambda.updateFunctionConfiguration(b -> b.functionName("updated").memorySize(512)
        .environment(e -> e.variables(Map.of("GAMMA", "3"))));
    assertThat(configured.memorySize()).isEqualTo(512);
    assertThat(configured.environment().variables()).isEqualTo(Map.of("GAMMA", "3"));
    assertThat(configured.revisionId()).isNotEqualTo(created.revisionId());
    var recoded = lambda.updateFunctionCode(b -> b.functionName("updated").zipFile(helloZip));
    assertThat(recoded.codeSha256()).isEqualTo(created.codeSha256());
    assertThat(recoded.memorySize()).isEqualTo(512);
    InvokeResponse invoked = lambda.invoke(b -> b.functionName("updated").payload(SdkBytes.fromUtf8String("{\"name\":\"Okapi\"}")));
    assertThat(invoked.payload().asUtf8String()).contains("Hello, Okapi!");
  }

  @Test
  void deletesFunctions() throws Exception {
    create("deleted", b -> { });
    lambda.deleteFunction(b -> b.functionName("deleted"));
    assertThatThrownBy(() -> lambda.getFunction(b -> b.functionName("deleted"))).isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> lambda.deleteFunction(b -> b.functionName("deleted"))).isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void dryRunAnswers204WithoutRunning() throws Exception {
    create("dry", b -> { });
    InvokeResponse response = lambda.invoke(b -> b.functionName("dry").invocationType(InvocationType.DRY_RUN));
    assertThat(response.statusCode()).isEqualTo(204);
  }

  @Test
  void eventIsAcceptedWith202AndThenRuns() throws Exception {
    create("evented", b -> { });
    try (LogCounter logs = platform.follow("evented")) {
      InvokeResponse response = lambda.invoke(b -> b.functionName("evented").invocationType(InvocationType.EVENT)
          .payload(SdkBytes.fromUtf8String("{\"name\":\"Quokka\"}")));
      assertThat(response.statusCode()).isEqualTo(202);
      assertThat(logs.await(1, Duration.ofSeconds(60))).isTrue();
      assertThat(logs.logs().get(0)).contains("greeting Quokka");
    }
  }

  @Test
  void payloadsOverTheLimitsAreTooLarge() throws Exception {
    create("large", b -> { });
    byte[] sync = new byte[6 * 1024 * 1024 + 1];
    assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("large").payload(SdkBytes.fromByteArray(sync))))
        .isInstanceOfSatisfying(LambdaException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(413);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RequestEntityTooLargeException");
        });
    byte[] async = new byte[1024 * 1024 + 1];
    assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("large").invocationType(InvocationType.EVENT)
        .payload(SdkBytes.fromByteArray(async))))
        .isInstanceOfSatisfying(LambdaException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(413);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RequestEntityTooLargeException");
        });
  }

  @Test
  void resourcePolicyStatementsAreAddedReadAndRemovedAsLambdaWritesThem() {
    create("granted", b -> { });
    String statement = lambda.addPermission(b -> b.functionName("granted").statementId("s3invoke").action("lambda:InvokeFunction")
        .principal("s3.amazonaws.com").sourceArn("arn:aws:s3:::uploads").sourceAccount("123456789012")).statement();
    assertThat(new JsonObject(statement)).isEqualTo(new JsonObject("""
        {"Sid":"s3invoke","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction",
         "Resource":"arn:aws:lambda:us-east-1:000000000000:function:granted",
         "Condition":{"StringEquals":{"AWS:SourceAccount":"123456789012"},"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::uploads"}}}"""));
    lambda.addPermission(b -> b.functionName("granted").statementId("url").action("lambda:InvokeFunctionUrl").principal("*")
        .functionUrlAuthType(FunctionUrlAuthType.NONE));
    assertThatThrownBy(() -> lambda.addPermission(b -> b.functionName("granted").statementId("s3invoke").action("lambda:InvokeFunction")
        .principal("s3.amazonaws.com"))).isInstanceOf(ResourceConflictException.class).hasMessageContaining("s3invoke");
    assertThatThrownBy(() -> lambda.addPermission(b -> b.functionName("granted").statementId("bad id!").action("lambda:InvokeFunction")
        .principal("s3.amazonaws.com"))).isInstanceOf(InvalidParameterValueException.class);

    var policy = lambda.getPolicy(b -> b.functionName("granted"));
    JsonObject document = new JsonObject(policy.policy());
    assertThat(document.getString("Version")).isEqualTo("2012-10-17");
    assertThat(document.getJsonArray("Statement").stream().map(json -> ((JsonObject) json).getString("Sid"))).containsExactly("s3invoke", "url");
    assertThat(document.getJsonArray("Statement").getJsonObject(1).getJsonObject("Condition").getJsonObject("StringEquals")
        .getString("lambda:FunctionUrlAuthType")).isEqualTo("NONE");
    assertThat(policy.revisionId()).isNotBlank();

    lambda.removePermission(b -> b.functionName("granted").statementId("url"));
    assertThat(new JsonObject(lambda.getPolicy(b -> b.functionName("granted")).policy()).getJsonArray("Statement")).hasSize(1);
    assertThatThrownBy(() -> lambda.removePermission(b -> b.functionName("granted").statementId("url")))
        .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("Statement url is not found");
    assertThatThrownBy(() -> lambda.addPermission(b -> b.functionName("nobody").statementId("x").action("lambda:InvokeFunction")
        .principal("s3.amazonaws.com"))).isInstanceOf(ResourceNotFoundException.class);

    lambda.deleteFunction(b -> b.functionName("granted"));
    create("granted", b -> { });
    assertThatThrownBy(() -> lambda.getPolicy(b -> b.functionName("granted")))
        .as("a deleted function's policy goes with it").isInstanceOf(ResourceNotFoundException.class);
  }

  private static FunctionConfiguration create(String name, java.util.function.Consumer<CreateFunctionRequest.Builder> adjust) {
    CreateFunctionRequest.Builder builder = CreateFunctionRequest.builder()
        .functionName(name)
        .runtime(Runtime.JAVA17)
        .handler("example.Hello::handleRequest")
        .memorySize(256)
        .role("arn:aws:iam::000000000000:role/lambda")
        .code(FunctionCode.builder().zipFile(helloZip).build());
    adjust.accept(builder);
    var response = lambda.createFunction(builder.build());
    return FunctionConfiguration.builder()
        .functionName(response.functionName()).functionArn(response.functionArn()).codeSha256(response.codeSha256())
        .codeSize(response.codeSize()).state(response.state()).lastModified(response.lastModified())
        .revisionId(response.revisionId()).environment(response.environment()).ephemeralStorage(response.ephemeralStorage())
        .memorySize(response.memorySize()).build();
  }
}
