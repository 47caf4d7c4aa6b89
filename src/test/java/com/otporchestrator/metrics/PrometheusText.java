package com.otporchestrator.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed Prometheus text exposition: every sample with its name, labels and value. */
final class PrometheusText {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\d+)?$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples = new ArrayList<>();

  PrometheusText(String text) {
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) throw new AssertionError("not a Prometheus sample line: " + line);
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) labels.put(l.group(1), l.group(2));
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
    }
  }

  List<Sample> samples() {
    return samples;
  }

  /** The sum of every sample of {@code name} whose labels include {@code labels} (pairs: name, value...). */
  double value(String name, String... labels) {
    return matching(name, labels).stream().mapToDouble(Sample::value).sum();
  }

  List<Sample> matching(String name, String... labels) {
    List<Sample> found = new ArrayList<>();
    outer:
    for (Sample s : samples) {
      if (!s.name().equals(name)) continue;
      for (int i = 0; i + 1 < labels.length; i += 2) {
        if (!labels[i + 1].equals(s.labels().get(labels[i]))) continue outer;
      }
      found.add(s);
    }
    return found;
  }

  boolean has(String name, String... labels) {
    return !matching(name, labels).isEmpty();
  }
}
