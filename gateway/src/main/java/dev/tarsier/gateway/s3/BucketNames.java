package dev.tarsier.gateway.s3;

import java.util.regex.Pattern;

/** S3's bucket naming rules, plus the one the shared edge port adds (see {@link Addressing}). */
final class BucketNames {
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

  private BucketNames() {}

  static void check(String name) {
    String problem = problem(name);
    if (problem != null) {
      throw S3Error.INVALID_BUCKET_NAME.exception("The specified bucket is not valid: " + problem).with("BucketName", name);
    }
  }

  private static String problem(String name) {
    if (!VALID.matcher(name).matches()) {
      return "names are 3 to 63 lower-case letters, digits, dots and hyphens, beginning and ending with a letter or digit";
    }
    if (name.contains("..") || name.contains(".-") || name.contains("-.")) {
      return "dots may not be adjacent to each other or to hyphens";
    }
    if (IP_ADDRESS.matcher(name).matches()) {
      return "names may not look like an IP address";
    }
    if (name.startsWith("xn--") || name.endsWith("-s3alias") || name.endsWith("--ol-s3")) {
      return "the prefix xn-- and the suffixes -s3alias and --ol-s3 are reserved";
    }
    if (Addressing.API_VERSION.matcher(name).matches()) {
      return "date-shaped names like 2015-03-31 address the other APIs on this port";
    }
    return null;
  }
}
