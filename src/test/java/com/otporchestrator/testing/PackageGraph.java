package com.otporchestrator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The package dependency graph of a Java source tree, read from the sources: a file depends on the package of every
 * class it imports (plain, static or wildcard) or names fully qualified in its code, under one base package.
 * Comments, string literals (text blocks included) and character literals are ignored. Sources, not bytecode: a
 * constant that javac inlines is still a dependency of the file that names it.
 */
public final class PackageGraph {
  /** The package of the base package's own classes (App, Node...). */
  public static final String ROOT = "(root)";

  private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

  private final String base;
  /** from package -> to package -> the files of {@code from} that make the edge (relative paths). */
  private final Map<String, Map<String, Set<String>>> edges = new TreeMap<>();

  private PackageGraph(String base) {
    this.base = base;
  }

  /** Reads every {@code .java} file under {@code sourceRoot}, keeping dependencies between packages of {@code base}. */
  public static PackageGraph read(Path sourceRoot, String base) {
    PackageGraph graph = new PackageGraph(base);
    try (Stream<Path> files = Files.walk(sourceRoot)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        graph.add(sourceRoot.relativize(file).toString(), Files.readString(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return graph;
  }

  private void add(String file, String source) {
    Matcher declared = PACKAGE.matcher(source);
    if (!declared.find()) return;
    String from = shortName(declared.group(1));
    if (from == null) return;
    edges.computeIfAbsent(from, p -> new TreeMap<>());
    Matcher reference = Pattern.compile("(?<![\\w.])" + Pattern.quote(base) + "((?:\\.[a-z_][\\w]*)*)\\.(?:([A-Z]\\w*)|\\*)")
        .matcher(code(source));
    while (reference.find()) {
      String segments = reference.group(1);
      String to = segments.isEmpty() ? ROOT : segments.substring(1);
      if (!to.equals(from)) edges.get(from).computeIfAbsent(to, p -> new TreeSet<>()).add(file);
    }
  }

  /** The package's name under the base ({@link #ROOT} for the base itself), or null when outside it. */
  private String shortName(String pkg) {
    if (pkg.equals(base)) return ROOT;
    return pkg.startsWith(base + ".") ? pkg.substring(base.length() + 1) : null;
  }

  /** The source with comments and literals blanked, so a class named in a string or a comment is no dependency. */
  static String code(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    while (i < source.length()) {
      if (source.startsWith("//", i)) {
        while (i < source.length() && source.charAt(i) != '\n') i++;
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? source.length() : end + 2;
        out.append(' ');
      } else if (source.startsWith("\"\"\"", i)) {
        int end = source.indexOf("\"\"\"", i + 3);
        while (end > 0 && source.charAt(end - 1) == '\\') end = source.indexOf("\"\"\"", end + 1);
        i = end < 0 ? source.length() : end + 3;
        out.append("\"\"");
      } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
        char quote = source.charAt(i++);
        while (i < source.length() && source.charAt(i) != quote && source.charAt(i) != '\n') {
          i += source.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
        out.append(quote).append(quote);
      } else {
        out.append(source.charAt(i++));
      }
    }
    return out.toString();
  }

  public Set<String> packages() {
    Set<String> all = new TreeSet<>(edges.keySet());
    edges.values().forEach(to -> all.addAll(to.keySet()));
    return all;
  }

  /** The packages {@code from} depends on. */
  public Set<String> dependencies(String from) {
    return edges.getOrDefault(from, Map.of()).keySet();
  }

  /** The files of {@code from} that depend on {@code to}. */
  public Set<String> filesBetween(String from, String to) {
    return edges.getOrDefault(from, Map.of()).getOrDefault(to, Set.of());
  }

  /** Every set of packages that depend on each other in a circle (strongly connected, two or more packages). */
  public List<Set<String>> cycles() {
    return new Tarjan().run();
  }

  /** Each cycle with the edges that close it and the files making each edge, one line per edge. */
  public String describeCycles() {
    StringBuilder out = new StringBuilder();
    for (Set<String> cycle : cycles()) {
      out.append("cycle of ").append(cycle.size()).append(" packages: ").append(cycle).append('\n');
      for (String from : cycle) {
        for (String to : dependencies(from)) {
          if (cycle.contains(to)) out.append("  ").append(from).append(" -> ").append(to).append("  (")
              .append(String.join(", ", filesBetween(from, to))).append(")\n");
        }
      }
    }
    return out.toString();
  }

  /**
   * Dependencies that go up: {@code layers} lists groups of packages from the bottom up; a package may depend on its
   * own group and the groups below. A package in no group is reported too (every package must have its place).
   */
  public List<String> layerViolations(List<Set<String>> layers) {
    Map<String, Integer> level = new HashMap<>();
    for (int i = 0; i < layers.size(); i++) {
      for (String pkg : layers.get(i)) level.put(pkg, i);
    }
    List<String> violations = new ArrayList<>();
    for (String pkg : packages()) {
      if (!level.containsKey(pkg)) violations.add(pkg + " is in no layer");
    }
    for (String from : packages()) {
      for (String to : dependencies(from)) {
        Integer a = level.get(from);
        Integer b = level.get(to);
        if (a != null && b != null && b > a) {
          violations.add(from + " (layer " + a + ") -> " + to + " (layer " + b + ")  (" + String.join(", ", filesBetween(from, to)) + ")");
        }
      }
    }
    return violations;
  }

  /** Tarjan's strongly connected components over the package graph. */
  private final class Tarjan {
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new TreeSet<>();
    private final List<Set<String>> components = new ArrayList<>();
    private int next;

    List<Set<String>> run() {
      for (String pkg : packages()) {
        if (!index.containsKey(pkg)) visit(pkg);
      }
      return components;
    }

    private void visit(String v) {
      index.put(v, next);
      low.put(v, next++);
      stack.push(v);
      onStack.add(v);
      for (String w : dependencies(v)) {
        if (!index.containsKey(w)) {
          visit(w);
          low.put(v, Math.min(low.get(v), low.get(w)));
        } else if (onStack.contains(w)) {
          low.put(v, Math.min(low.get(v), index.get(w)));
        }
      }
      if (low.get(v).equals(index.get(v))) {
        Set<String> component = new TreeSet<>();
        String w;
        do {
          w = stack.pop();
          onStack.remove(w);
          component.add(w);
        } while (!w.equals(v));
        if (component.size() > 1) components.add(component);
      }
    }
  }
}
