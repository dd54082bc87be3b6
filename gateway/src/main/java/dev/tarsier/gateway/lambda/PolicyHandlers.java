package dev.tarsier.gateway.lambda;

import dev.tarsier.invoker.Invoker;
import dev.tarsier.invoker.Permission;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** AddPermission, GetPolicy and RemovePermission: a function's resource-based policy, in Lambda's shapes. */
final class PolicyHandlers {
  private final Invoker invoker;

  PolicyHandlers(Invoker invoker) {
    this.invoker = invoker;
  }

  void add(RoutingContext ctx) {
    JsonObject body = Bodies.json(ctx);
    if (body == null) {
      return;
    }
    Permission permission = new Permission(body.getString("StatementId"), body.getString("Action"), body.getString("Principal"),
        body.getString("SourceArn"), body.getString("SourceAccount"), body.getString("EventSourceToken"),
        body.getString("PrincipalOrgID"), body.getString("FunctionUrlAuthType"));
    Bodies.reply(ctx, 201, invoker.addPermission(FunctionHandlers.name(ctx), permission)
        .map(statement -> new JsonObject().put("Statement", statement)));
  }

  void get(RoutingContext ctx) {
    Bodies.reply(ctx, 200, invoker.getPolicy(FunctionHandlers.name(ctx))
        .map(policy -> new JsonObject().put("Policy", policy.document()).put("RevisionId", policy.revisionId())));
  }

  void remove(RoutingContext ctx) {
    Bodies.noContent(ctx, invoker.removePermission(FunctionHandlers.name(ctx), ctx.pathParam("sid")));
  }
}
