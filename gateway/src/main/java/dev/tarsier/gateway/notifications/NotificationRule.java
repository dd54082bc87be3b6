package dev.tarsier.gateway.notifications;

import java.util.List;

/**
 * One {@code CloudFunctionConfiguration} of a bucket: which events, under which key prefix and suffix,
 * go to which function.
 *
 * @param events event names as configured, with the {@code s3:} prefix ({@code s3:ObjectCreated:*})
 * @param prefix key prefix, "" for any
 * @param suffix key suffix, "" for any
 */
public record NotificationRule(String id, String functionArn, String function, List<String> events, String prefix, String suffix) {

  public NotificationRule {
    events = List.copyOf(events);
  }

  /** True when an event of {@code eventName} (without {@code s3:}) on {@code key} is for this rule. */
  public boolean matches(String eventName, String key) {
    return key.startsWith(prefix) && key.endsWith(suffix) && events.stream().anyMatch(event -> EventNames.covers(event, eventName));
  }
}
