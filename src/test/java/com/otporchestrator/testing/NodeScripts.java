package com.otporchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the scripts of src/test/node (public client libraries of the family, the Standard Webhooks reference verifier)
 * with Node. Their packages are pinned by src/test/node/package-lock.json and installed with {@code npm ci}
 * ({@code --prefer-offline}: once the npm cache holds them, no network is needed); bin/test installs them before the
 * suite, and a test run alone installs them here when they are missing. Never skipped: without Node the test fails.
 */
public final class NodeScripts {
  public static final Path DIR = Path.of("src", "test", "node");

  private NodeScripts() {}

  /** What a script printed and how it ended. */
  public record Run(int exitCode, String stdout, String stderr) {
    public List<String> lines() {
      return stdout.lines().toList();
    }
  }

  public static synchronized void ensureInstalled() {
    if (Files.isDirectory(DIR.resolve("node_modules/hero-sms")) && Files.isDirectory(DIR.resolve("node_modules/standardwebhooks"))) {
      return;
    }
    Run install = run(List.of("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"), Map.of(), null, 300);
    assertThat(install.exitCode()).as("npm ci in %s: %s %s", DIR, install.stdout(), install.stderr()).isZero();
  }

  /** Runs {@code node <script>} in src/test/node with {@code env} added, {@code stdin} (may be null) as its input. */
  public static Run node(String script, Map<String, String> env, String stdin, int timeoutSeconds) {
    ensureInstalled();
    return run(List.of("node", script), env, stdin, timeoutSeconds);
  }

  private static Run run(List<String> command, Map<String, String> env, String stdin, int timeoutSeconds) {
    try {
      Path out = Files.createTempFile("node-out", ".txt");
      Path err = Files.createTempFile("node-err", ".txt");
      ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(DIR.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      try (var input = process.getOutputStream()) {
        if (stdin != null) input.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s: " + Files.readString(out)
            + Files.readString(err));
      }
      Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return run;
    } catch (IOException e) {
      throw new AssertionError("could not run " + command + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
