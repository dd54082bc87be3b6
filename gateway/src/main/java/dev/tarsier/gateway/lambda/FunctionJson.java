package dev.tarsier.gateway.lambda;

import dev.tarsier.invoker.FunctionConfig;
import dev.tarsier.invoker.FunctionSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/** Lambda's FunctionConfiguration JSON, and the settings fields of Create/UpdateFunctionConfiguration. */
final class FunctionJson {
  private FunctionJson() {}

  static JsonObject configuration(FunctionConfig f, String arn) {
    JsonObject json = new JsonObject()
        .put("FunctionName", f.name())
        .put("FunctionArn", arn)
        .put("Runtime", f.runtime())
        .put("Role", f.role())
        .put("Handler", f.handler())
        .put("CodeSize", f.codeSize())
        .put("CodeSha256", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(f.codeSha256())))
        .put("Description", f.description())
        .put("Timeout", f.timeout())
        .put("MemorySize", f.memorySize())
        .put("LastModified", f.lastModified())
        .put("Version", "$LATEST")
        .put("RevisionId", f.revisionId())
        .put("State", "Active")
        .put("LastUpdateStatus", "Successful")
        .put("PackageType", "Zip")
        .put("Architectures", new JsonArray().add("x86_64"))
        .put("EphemeralStorage", new JsonObject().put("Size", f.ephemeralStorage()))
        .put("TracingConfig", new JsonObject().put("Mode", "PassThrough"))
        .put("LoggingConfig", new JsonObject().put("LogFormat", "Text").put("LogGroup", "/aws/lambda/" + f.name()))
        .put("SnapStart", new JsonObject().put("ApplyOn", "None").put("OptimizationStatus", "Off"));
    if (!f.environment().isEmpty()) {
      json.put("Environment", new JsonObject().put("Variables", new JsonObject(new HashMap<>(f.environment()))));
    }
    return json;
  }

  /** The settings in a CreateFunction or UpdateFunctionConfiguration body; absent fields stay null. */
  static FunctionSettings settings(JsonObject body) {
    Map<String, String> environment = null;
    JsonObject env = body.getJsonObject("Environment");
    if (env != null) {
      environment = new HashMap<>();
      JsonObject variables = env.getJsonObject("Variables", new JsonObject());
      for (String key : variables.fieldNames()) {
        environment.put(key, String.valueOf(variables.getValue(key)));
      }
    }
    JsonObject ephemeral = body.getJsonObject("EphemeralStorage");
    return new FunctionSettings(
        body.getString("Runtime"),
        body.getString("Handler"),
        body.getInteger("MemorySize"),
        body.getInteger("Timeout"),
        ephemeral == null ? null : ephemeral.getInteger("Size"),
        body.getString("Description"),
        body.getString("Role"),
        environment);
  }
}
