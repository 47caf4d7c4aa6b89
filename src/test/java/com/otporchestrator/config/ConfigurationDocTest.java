package com.otporchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.dev.DevMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("docs/configuration.md lists exactly the variables AppConfig and dev mode read, with their defaults")
class ConfigurationDocTest {
  private static final Path DOC = Path.of("docs/configuration.md");
  /** A table row: | `NAME` | default cell | meaning | */
  private static final Pattern ROW = Pattern.compile("^\\| `([A-Z][A-Z0-9_]*)` \\| ([^|]*) \\|");
  private static final Pattern LITERAL = Pattern.compile("`([^`]*)`");

  @Test
  void theDocumentedTableMatchesTheCode() throws IOException {
    assertThat(drift(Files.readAllLines(DOC), readByAppConfig(), DevMode.DEFAULTS)).isEmpty();
  }

  @Test
  void aMissingAStaleAndAWrongDefaultAreEachReported() {
    List<String> doctored = List.of(
        "| `HTTP_PORT` | `9090` | port |",
        "| `OLD_SETTING` | `1` | no longer read |",
        "| `ADMIN_TOKEN` | required (dev: `dev-admin-token-0123456789`) | token |");
    Map<String, String> read = new LinkedHashMap<>();
    read.put("HTTP_PORT", "8080");
    read.put("ADMIN_TOKEN", null);
    read.put("TIMER_SHARDS", "64");

    assertThat(drift(doctored, read, Map.of("ADMIN_TOKEN", "dev-admin-token-0123456789"))).containsExactlyInAnyOrder(
        "TIMER_SHARDS is read (default 64) but not documented",
        "OLD_SETTING is documented but not read",
        "HTTP_PORT: documented default 9090, the code's is 8080");
  }

  @Test
  void aDevDefaultThatDriftsIsReported() {
    List<String> doc = List.of("| `ROLES` | `api,timers` (dev: `api,timers`) | roles |");
    assertThat(drift(doc, Map.of("ROLES", "api,timers"), Map.of("ROLES", "api,timers,sandbox")))
        .containsExactly("ROLES: dev mode sets api,timers,sandbox, documented as dev: api,timers");
  }

  /** Every variable AppConfig reads, in reading order, with its default as text (null: none). */
  static Map<String, String> readByAppConfig() {
    Env env = new Env(Map.of("ADMIN_TOKEN", "an-admin-token-of-16+"));
    AppConfig.from(env);
    return env.defaults();
  }

  /**
   * What differs between the documented rows and the code: variables read but not documented, documented but not
   * read, and defaults (the default cell's first literal, and its "dev: `x`" part) that are not the code's.
   */
  static List<String> drift(List<String> docLines, Map<String, String> read, Map<String, String> devDefaults) {
    Map<String, String> documented = new LinkedHashMap<>();
    for (String line : docLines) {
      Matcher row = ROW.matcher(line);
      if (row.find()) documented.put(row.group(1), row.group(2).trim());
    }
    Map<String, String> expected = new LinkedHashMap<>(read);
    devDefaults.forEach((name, value) -> { // dev-only variables: their dev value is their default
      if (!expected.containsKey(name)) expected.put(name, value);
    });
    List<String> problems = new ArrayList<>();
    expected.forEach((name, fallback) -> {
      if (!documented.containsKey(name)) problems.add(name + " is read (default " + fallback + ") but not documented");
    });
    documented.keySet().stream().filter(name -> !expected.containsKey(name))
        .forEach(name -> problems.add(name + " is documented but not read"));
    documented.forEach((name, cell) -> {
      if (!expected.containsKey(name)) return;
      String fallback = expected.get(name);
      Matcher literal = LITERAL.matcher(cell);
      String first = literal.find() && !cell.startsWith("required") ? literal.group(1) : null;
      if (fallback != null && !fallback.equals(first)) {
        problems.add(name + ": documented default " + first + ", the code's is " + fallback);
      }
      String dev = devDefaults.get(name);
      Matcher devCell = Pattern.compile("dev: `([^`]*)`").matcher(cell);
      String documentedDev = devCell.find() ? devCell.group(1) : null;
      if (dev != null && read.containsKey(name) && !dev.equals(documentedDev)) {
        problems.add(name + ": dev mode sets " + dev + ", documented as dev: " + documentedDev);
      }
      if (dev == null && documentedDev != null) problems.add(name + ": documented dev value " + documentedDev + ", dev mode sets none");
    });
    return problems;
  }
}
