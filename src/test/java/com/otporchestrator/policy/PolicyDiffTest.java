package com.otporchestrator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.policy.PolicyDiff.Change;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Two policy versions compare line by line")
class PolicyDiffTest {
  private static List<String> shown(String a, String b) {
    return PolicyDiff.lines(a, b).stream().map(l -> switch (l.change()) {
      case SAME -> "  " + l.text();
      case REMOVED -> "- " + l.text();
      case ADDED -> "+ " + l.text();
    }).toList();
  }

  @Test
  @DisplayName("a changed line is the old one removed, then the new one added; the rest is kept once")
  void changedLines() {
    assertThat(shown("id: p\nversion: 1\nwindow: PT20M\n", "id: p\nversion: 2\nwindow: PT20M\n"))
        .containsExactly("  id: p", "- version: 1", "+ version: 2", "  window: PT20M", "  ");
  }

  @Test
  @DisplayName("lines only added or only removed, and identical documents")
  void addedRemovedSame() {
    assertThat(shown("a\nc", "a\nb\nc")).containsExactly("  a", "+ b", "  c");
    assertThat(shown("a\nb\nc", "a\nc")).containsExactly("  a", "- b", "  c");
    assertThat(PolicyDiff.lines("x\ny", "x\ny")).allMatch(l -> l.change() == Change.SAME).hasSize(2);
  }
}
