package dev.tarsier.invoker;

/** What an AddPermission call asks to allow; null fields were not given. */
public record Permission(String statementId, String action, String principal, String sourceArn, String sourceAccount,
    String eventSourceToken, String principalOrgId, String functionUrlAuthType) {}
