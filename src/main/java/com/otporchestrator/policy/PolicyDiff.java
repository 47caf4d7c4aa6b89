package com.otporchestrator.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Two published versions of a policy, line by line: what the older one says that the newer one no longer does, and
 * the reverse (a longest-common-subsequence diff of the YAML documents, which are short).
 */
public final class PolicyDiff {
  /** One line of the comparison: {@code SAME}, {@code REMOVED} (only in the first) or {@code ADDED} (only in the second). */
  public record Line(Change change, String text) {}

  public enum Change { SAME, REMOVED, ADDED }

  private PolicyDiff() {}

  public static List<Line> lines(String older, String newer) {
    String[] a = older.split("\n", -1);
    String[] b = newer.split("\n", -1);
    int[][] common = new int[a.length + 1][b.length + 1];
    for (int i = a.length - 1; i >= 0; i--) {
      for (int j = b.length - 1; j >= 0; j--) {
        common[i][j] = a[i].equals(b[j]) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    List<Line> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i].equals(b[j])) {
        out.add(new Line(Change.SAME, a[i++]));
        j++;
      } else if (i < a.length && (j == b.length || common[i + 1][j] >= common[i][j + 1])) {
        out.add(new Line(Change.REMOVED, a[i++]));
      } else {
        out.add(new Line(Change.ADDED, b[j++]));
      }
    }
    return out;
  }
}
