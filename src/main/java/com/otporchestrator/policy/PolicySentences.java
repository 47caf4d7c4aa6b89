package com.otporchestrator.policy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The source sentences a policy document quotes, by the path of the field they explain. A document quotes its
 * published text in comments, on the field's line or on the comment lines just above it; each quoted passage
 * ({@code "..."}) is a sentence. Paths name list items by their {@code id} or {@code kind}, or by their value
 * ({@code autoRefunds.no_sms_in_window}, {@code claims.refund_not_applied.evidence}).
 */
final class PolicySentences {
  private static final Pattern QUOTE = Pattern.compile("\"([^\"]{12,})\"");

  private record Level(int indent, String name) {}

  private final Map<String, List<String>> byPath = new LinkedHashMap<>();

  private PolicySentences() {}

  static PolicySentences of(String yaml) {
    PolicySentences s = new PolicySentences();
    s.read(yaml == null ? "" : yaml);
    return s;
  }

  /** The sentences quoted at {@code path} and at every field below it, in document order, without repeats. */
  List<String> at(String path) {
    List<String> out = new ArrayList<>();
    byPath.forEach((p, sentences) -> {
      if (p.equals(path) || p.startsWith(path + ".")) {
        for (String s : sentences) if (!out.contains(s)) out.add(s);
      }
    });
    return out;
  }

  private void read(String yaml) {
    Deque<Level> stack = new ArrayDeque<>();
    StringBuilder pending = new StringBuilder();
    for (String line : yaml.split("\r?\n")) {
      String stripped = line.strip();
      if (stripped.isEmpty()) continue;
      if (stripped.startsWith("#")) {
        pending.append(stripped.substring(1)).append(' ');
        continue;
      }
      int indent = line.indexOf(stripped.charAt(0));
      int hash = commentStart(stripped);
      String content = (hash < 0 ? stripped : stripped.substring(0, hash)).strip();
      String comment = hash < 0 ? "" : stripped.substring(hash + 1);
      String quotes = pending + " " + comment;
      pending.setLength(0);
      if (content.startsWith("- ") || content.equals("-")) {
        String item = content.length() > 1 ? content.substring(2).strip() : "";
        pop(stack, indent);
        stack.push(new Level(indent, itemName(item, stack)));
        int colon = keyColon(item);
        if (colon > 0) {
          stack.push(new Level(indent + 2, item.substring(0, colon).strip()));
          record(stack, quotes);
        } else {
          record(stack, quotes);
        }
        continue;
      }
      int colon = keyColon(content);
      if (colon <= 0) continue;
      pop(stack, indent);
      stack.push(new Level(indent, content.substring(0, colon).strip()));
      record(stack, quotes);
    }
  }

  private void record(Deque<Level> stack, String text) {
    Matcher m = QUOTE.matcher(text.replaceAll("\\s+", " "));
    List<String> found = new ArrayList<>();
    while (m.find()) found.add(m.group(1).strip());
    if (found.isEmpty()) return;
    List<String> names = new ArrayList<>();
    stack.descendingIterator().forEachRemaining(level -> names.add(level.name()));
    byPath.computeIfAbsent(String.join(".", names), k -> new ArrayList<>()).addAll(found);
  }

  private static void pop(Deque<Level> stack, int indent) {
    while (!stack.isEmpty() && stack.peek().indent() >= indent) stack.pop();
  }

  /** A list item's name: the value of its {@code id} or {@code kind}, else its own value, else its position. */
  private static String itemName(String item, Deque<Level> stack) {
    int colon = keyColon(item);
    if (colon > 0) {
      String key = item.substring(0, colon).strip();
      String value = unquote(item.substring(colon + 1).strip());
      return (key.equals("id") || key.equals("kind")) && !value.isEmpty() ? value : key;
    }
    return unquote(item);
  }

  private static String unquote(String v) {
    return v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))
        ? v.substring(1, v.length() - 1) : v;
  }

  /** The colon ending a mapping key ({@code key:} or {@code key: value}), or -1. */
  private static int keyColon(String content) {
    if (content.startsWith("\"") || content.startsWith("'")) return -1;
    for (int i = 0; i < content.length(); i++) {
      char c = content.charAt(i);
      if (c == ':' && (i + 1 == content.length() || content.charAt(i + 1) == ' ')) return i;
      if (c == ' ' || c == '"' || c == '[' || c == '{') return -1;
    }
    return -1;
  }

  /** Where a trailing comment starts: a '#' after a space, outside quotes; -1 when there is none. */
  private static int commentStart(String s) {
    boolean inDouble = false, inSingle = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' && !inSingle) inDouble = !inDouble;
      else if (c == '\'' && !inDouble) inSingle = !inSingle;
      else if (c == '#' && !inDouble && !inSingle && (i == 0 || s.charAt(i - 1) == ' ')) return i;
    }
    return -1;
  }
}
