package com.otporchestrator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Faithfulness guard: every sentence a preset quotes (in a comment or an exclusion/description string) must appear
 * verbatim in its seed document. Quotes may be cut with " ... " or joined with " / "; each fragment is checked.
 * The seed documents (the published policy texts) are kept verbatim in src/test/resources/seeds, so the
 * check runs on every machine.
 */
class PolicyQuotesTest {
  static final List<String> PRESETS = PolicyLoader.PRESETS;
  private static final Pattern QUOTE = Pattern.compile("\"([^\"]*)\"");

  static String norm(String s) {
    return s.replace('’', '\'').replaceAll("\\s+", " ").trim();
  }

  @ParameterizedTest
  @FieldSource("PRESETS")
  void quotedSentencesAppearInTheSeed(String name) throws Exception {
    Path seed = Path.of("src/test/resources/seeds", name + ".txt");
    assertThat(seed).as("the seed document the preset quotes").isRegularFile();
    String seedText = norm(Files.readString(seed));
    // comments joined across continuation lines, plus quoted YAML values
    StringBuilder text = new StringBuilder();
    for (String line : Files.readAllLines(Path.of("src/main/resources/policies/" + name + ".yaml"))) {
      int hash = line.indexOf('#');
      String value = hash >= 0 ? line.substring(0, hash) : line;
      String comment = hash >= 0 ? line.substring(hash + 1) : "";
      text.append(value.replaceAll("^\\s*(text|description):\\s*", "")).append(' ').append(comment).append(' ');
    }
    Matcher m = QUOTE.matcher(norm(text.toString()));
    List<String> missing = new ArrayList<>();
    int checked = 0;
    while (m.find()) {
      for (String fragment : m.group(1).split(" \\.\\.\\. |\\.\\.\\.$| / ")) {
        String f = norm(fragment);
        if (f.length() < 12) continue; // single words ("typically") and dates are not sentences
        checked++;
        if (!seedText.contains(f)) missing.add(f);
      }
    }
    assertThat(checked).as("quotes found in " + name).isGreaterThan(5);
    assertThat(missing).as("quotes not found verbatim in " + seed).isEmpty();
  }
}
