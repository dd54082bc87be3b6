package dev.tarsier.gateway.s3;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a bucket listing, read from the catalog in key order in batches: keys under the prefix,
 * rolled up into common prefixes at the delimiter, after a marker, at most {@code maxKeys} entries.
 * When a common prefix covers many keys the next query jumps past all of them instead of reading them,
 * so a page costs about one query per common prefix at worst, never a scan of the bucket.
 */
final class Listing {
  private static final int BATCH = 1000;

  private Listing() {}

  /**
   * @param next the last key or common prefix on the page: the marker that continues after it
   */
  record Page(List<ObjectRows.ListedObject> contents, List<String> commonPrefixes, boolean truncated, String next) {}

  /**
   * Lists {@code bucket}. {@code after} is exclusive ("" for none); a common prefix equal to it is
   * not repeated, so the page after one that ended on a common prefix starts past all its keys.
   */
  static Page list(Connection c, String bucket, String prefix, String delimiter, String after, int maxKeys)
      throws SQLException {
    List<ObjectRows.ListedObject> contents = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    if (maxKeys == 0) {
      return new Page(contents, prefixes, false, null);
    }
    boolean afterPrefix = compareUtf8(after, prefix) >= 0;
    String cursor = afterPrefix ? after : prefix;
    boolean inclusive = !afterPrefix;
    String skip = null;
    String next = null;
    while (true) {
      List<ObjectRows.ListedObject> rows = ObjectRows.objects(c, bucket, cursor, inclusive, BATCH);
      for (ObjectRows.ListedObject row : rows) {
        String key = row.key();
        if (!key.startsWith(prefix)) {
          return new Page(contents, prefixes, false, next);
        }
        if (skip != null && key.startsWith(skip)) {
          continue;
        }
        String common = commonPrefix(key, prefix, delimiter);
        if (common != null && common.equals(after)) {
          skip = common;
          continue;
        }
        if (contents.size() + prefixes.size() == maxKeys) {
          return new Page(contents, prefixes, true, next);
        }
        if (common != null) {
          prefixes.add(common);
          skip = common;
          next = common;
        } else {
          contents.add(row);
          next = key;
        }
      }
      if (rows.size() < BATCH) {
        return new Page(contents, prefixes, false, next);
      }
      String last = rows.get(rows.size() - 1).key();
      String jump = skip != null && last.startsWith(skip) ? successor(skip) : null;
      cursor = jump != null ? jump : last;
      inclusive = jump != null;
    }
  }

  private static String commonPrefix(String key, String prefix, String delimiter) {
    if (delimiter.isEmpty()) {
      return null;
    }
    int at = key.indexOf(delimiter, prefix.length());
    return at < 0 ? null : key.substring(0, at + delimiter.length());
  }

  /**
   * The least string greater than every string starting with {@code prefix}: its last code point plus
   * one. Null when there is none to be had (the last code point is the largest), so callers step instead.
   */
  static String successor(String prefix) {
    int last = prefix.codePointBefore(prefix.length());
    if (last == Character.MAX_CODE_POINT) {
      return null;
    }
    int next = last + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : last + 1;
    return new StringBuilder(prefix.substring(0, prefix.length() - Character.charCount(last))).appendCodePoint(next).toString();
  }

  /** Compares as UTF-8 bytes compare, which is code point order (not Java's UTF-16 order). */
  static int compareUtf8(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
