package dev.tarsier.gateway.notifications;

import java.util.List;
import java.util.Set;

/** S3's event names and the wildcards that cover them. */
final class EventNames {
  /** The events the embedded store emits, as they appear in records (without {@code s3:}). */
  static final List<String> EMITTED = List.of("ObjectCreated:Put", "ObjectCreated:Post", "ObjectCreated:Copy",
      "ObjectCreated:CompleteMultipartUpload", "ObjectRemoved:Delete", "ObjectRemoved:DeleteMarkerCreated");
  private static final Set<String> CONFIGURABLE = Set.of("s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post",
      "s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete",
      "s3:ObjectRemoved:DeleteMarkerCreated");

  private EventNames() {}

  static boolean isConfigurable(String configured) {
    return CONFIGURABLE.contains(configured);
  }

  /** {@code s3:ObjectCreated:*} covers {@code ObjectCreated:Put}; {@code s3:ObjectCreated:Put} covers only itself. */
  static boolean covers(String configured, String eventName) {
    String name = configured.startsWith("s3:") ? configured.substring(3) : configured;
    return name.endsWith(":*") ? eventName.startsWith(name.substring(0, name.length() - 1)) : name.equals(eventName);
  }

  /** True when some emitted event is covered by both. */
  static boolean intersect(List<String> a, List<String> b) {
    return EMITTED.stream().anyMatch(event -> a.stream().anyMatch(x -> covers(x, event)) && b.stream().anyMatch(y -> covers(y, event)));
  }
}
