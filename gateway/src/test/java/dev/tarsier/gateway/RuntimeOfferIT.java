package dev.tarsier.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Which runtimes this machine offers, as a user of the Lambda API finds out. */
class RuntimeOfferIT {
  /** Everything this test machine has a toolchain for: JDK 17 and 25, Node.js 20, Python 3.11. */
  private static final String OFFERED = "java17, java25, nodejs20.x, provided, provided.al2023, python3.11";

  @RegisterExtension
  static final PlatformExtension PLATFORM = new PlatformExtension();
  private static RunningPlatform platform;
  private static LambdaClient lambda;

  @BeforeAll
  static void start() throws Exception {
    platform = PLATFORM.get();
    lambda = platform.lambda();
  }

  @ParameterizedTest
  @EnumSource(value = Runtime.class, names = {"NODEJS18_X", "JAVA21", "PYTHON3_12", "NODEJS22_X"})
  void refusesRuntimesThisMachineDoesNotOfferListingThoseItDoes(Runtime runtime) {
    String name = "refused-" + runtime.toString().replace('.', '-');
    assertThatThrownBy(() -> create(name, runtime, "index.handler"))
        .isInstanceOfSatisfying(InvalidParameterValueException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.getMessage()).contains("Value " + runtime + " at 'runtime'").contains("this platform offers " + OFFERED);
        });
    assertThatThrownBy(() -> lambda.getFunction(b -> b.functionName(name))).isInstanceOf(ResourceNotFoundException.class);
  }

  @ParameterizedTest
  @CsvSource({"NODEJS20_X, index, is not a Node.js handler", "PYTHON3_11, app, is not a Python handler"})
  void refusesHandlersTheRuntimeCannotLoad(Runtime runtime, String handler, String message) {
    assertThatThrownBy(() -> create("bad-handler", runtime, handler))
        .isInstanceOfSatisfying(InvalidParameterValueException.class, e -> assertThat(e.getMessage()).contains(message));
  }

  private static void create(String name, Runtime runtime, String handler) {
    lambda.createFunction(b -> b.functionName(name)
        .runtime(runtime)
        .handler(handler)
        .role("arn:aws:iam::000000000000:role/lambda")
        .code(c -> c.zipFile(FunctionZip.of(Map.of("index.js", "exports.handler = async () => 1;\n")))));
  }
}
