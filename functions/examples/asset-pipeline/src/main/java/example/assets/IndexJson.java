package example.assets;

import java.util.List;

/** The index: a JSON array of {@code {"originalFile": ..., "url": ...}}, one line per file for readable diffs. */
final class IndexJson {
  private IndexJson() {}

  static String of(List<AssetPipeline.Asset> assets) {
    StringBuilder json = new StringBuilder("[\n");
    for (int i = 0; i < assets.size(); i++) {
      AssetPipeline.Asset asset = assets.get(i);
      json.append("  {\"originalFile\": ").append(quote(asset.originalFile()))
          .append(", \"url\": ").append(quote(asset.url())).append('}')
          .append(i + 1 < assets.size() ? ",\n" : "\n");
    }
    return json.append("]\n").toString();
  }

  static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
