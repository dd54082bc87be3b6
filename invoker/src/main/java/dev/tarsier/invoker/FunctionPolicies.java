package dev.tarsier.invoker;

import dev.tarsier.invoker.store.FunctionOptionsStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * AddPermission, GetPolicy and RemovePermission: a function's resource-based policy, its statements
 * written as Lambda writes them (Principal, Action, Resource and the Condition the options make), so the
 * AWS CLI, the SDKs, Terraform and the S3-trigger tutorials that grant {@code s3.amazonaws.com} the right
 * to invoke work unchanged. The policy is kept and returned, not enforced: the platform has no IAM.
 * Blocking: call from a worker, after checking the function exists.
 */
final class FunctionPolicies {
  private static final Pattern STATEMENT_ID = Pattern.compile("[a-zA-Z0-9_.-]{1,100}");
  private static final Pattern ACTION = Pattern.compile("(lambda:[*]|lambda:[a-zA-Z]+|[*])");
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

  private final FunctionOptionsStore options;
  private final InvokerConfig config;
  private final Clock clock;

  FunctionPolicies(FunctionOptionsStore options, InvokerConfig config, Clock clock) {
    this.options = options;
    this.config = config;
    this.clock = clock;
  }

  /** Adds the statement and returns it as JSON text, as AddPermission's {@code Statement}. */
  String add(String function, Permission permission) throws SQLException {
    JsonObject statement = statement(function, permission);
    if (!options.addPolicyStatement(function, permission.statementId(), statement.encode(), clock.millis())) {
      throw new LambdaFailure.ResourceConflict("The statement id (" + permission.statementId()
          + ") provided already exists. Please provide a new statement id, or remove the existing statement.");
    }
    return statement.encode();
  }

  FunctionPolicy get(String function) throws SQLException {
    List<String> statements = options.policyStatements(function);
    if (statements.isEmpty()) {
      throw new LambdaFailure.ResourceNotFound("The resource you requested does not exist.");
    }
    JsonArray all = new JsonArray();
    statements.forEach(json -> all.add(new JsonObject(json)));
    String document = new JsonObject().put("Version", "2012-10-17").put("Id", "default").put("Statement", all).encode();
    return new FunctionPolicy(document, UUID.nameUUIDFromBytes(document.getBytes(StandardCharsets.UTF_8)).toString());
  }

  void remove(String function, String statementId) throws SQLException {
    if (!options.removePolicyStatement(function, statementId)) {
      throw new LambdaFailure.ResourceNotFound("Statement " + statementId + " is not found in resource policy.");
    }
  }

  private JsonObject statement(String function, Permission permission) {
    require(permission.statementId(), "StatementId");
    require(permission.action(), "Action");
    require(permission.principal(), "Principal");
    if (!STATEMENT_ID.matcher(permission.statementId()).matches()) {
      throw new LambdaFailure.InvalidParameterValue("StatementId must be 1 to 100 of letters, digits, '-', '_' and '.', was "
          + permission.statementId());
    }
    if (!ACTION.matcher(permission.action()).matches()) {
      throw new LambdaFailure.InvalidParameterValue("Action must be lambda:<operation>, lambda:* or *, was " + permission.action());
    }
    JsonObject condition = new JsonObject();
    if (permission.sourceAccount() != null) {
      condition(condition, "StringEquals").put("AWS:SourceAccount", permission.sourceAccount());
    }
    if (permission.principalOrgId() != null) {
      condition(condition, "StringEquals").put("aws:PrincipalOrgID", permission.principalOrgId());
    }
    if (permission.eventSourceToken() != null) {
      condition(condition, "StringEquals").put("lambda:EventSourceToken", permission.eventSourceToken());
    }
    if (permission.functionUrlAuthType() != null) {
      if (!permission.functionUrlAuthType().equals("NONE") && !permission.functionUrlAuthType().equals("AWS_IAM")) {
        throw new LambdaFailure.InvalidParameterValue("FunctionUrlAuthType must be NONE or AWS_IAM, was " + permission.functionUrlAuthType());
      }
      condition(condition, "StringEquals").put("lambda:FunctionUrlAuthType", permission.functionUrlAuthType());
    }
    if (permission.sourceArn() != null) {
      condition(condition, "ArnLike").put("AWS:SourceArn", permission.sourceArn());
    }
    JsonObject statement = new JsonObject()
        .put("Sid", permission.statementId())
        .put("Effect", "Allow")
        .put("Principal", principal(permission.principal()))
        .put("Action", permission.action())
        .put("Resource", config.functionArn(function));
    if (!condition.isEmpty()) {
      statement.put("Condition", condition);
    }
    return statement;
  }

  /** {@code *} stays a string; a service is {@code {"Service": …}}; an account or an ARN is {@code {"AWS": …}}. */
  private static Object principal(String principal) {
    if (principal.equals("*")) {
      return "*";
    }
    if (principal.endsWith(".amazonaws.com") || principal.endsWith(".amazonaws.com.cn")) {
      return new JsonObject().put("Service", principal);
    }
    return new JsonObject().put("AWS", ACCOUNT.matcher(principal).matches() ? "arn:aws:iam::" + principal + ":root" : principal);
  }

  private static JsonObject condition(JsonObject conditions, String operator) {
    if (!conditions.containsKey(operator)) {
      conditions.put(operator, new JsonObject());
    }
    return conditions.getJsonObject(operator);
  }

  private static void require(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new LambdaFailure.InvalidParameterValue(name + " is required");
    }
  }
}
