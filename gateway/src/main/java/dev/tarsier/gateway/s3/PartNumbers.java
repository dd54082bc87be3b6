package dev.tarsier.gateway.s3;

/** Part numbers: 1 to 10,000, as S3 allows. */
final class PartNumbers {
  static final int MAX = 10_000;

  private PartNumbers() {}

  static int parse(String value) {
    try {
      int number = Integer.parseInt(value.strip());
      if (number >= 1 && number <= MAX) {
        return number;
      }
    } catch (NumberFormatException | NullPointerException e) {
      // answered below
    }
    throw S3Error.INVALID_ARGUMENT.exception("Part number must be an integer between 1 and " + MAX + ", inclusive")
        .with("ArgumentName", "partNumber").with("ArgumentValue", value);
  }
}
