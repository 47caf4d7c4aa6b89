package com.otporchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.PackageGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packages of src/main form layers: no package depends on itself through others, and none depends on a layer
 * above its own. A new package must be given its place in {@link #LAYERS}.
 */
@DisplayName("The packages of the service form layers")
class PackageLayersTest {
  static final String BASE = "com.otporchestrator";

  /** From the bottom up; a package may use its own layer and the layers below. */
  static final List<Set<String>> LAYERS = List.of(
      // what everything is built on
      Set.of("common", "config", "store", "logging", "metrics"),
      // engines and contracts that know no feature: timers, the supplier protocol and its adapters, rate limiting
      // and the ledger, the only writer of money rows
      Set.of("timer", "upstream", "upstream.fivesim", "upstream.smsactivate", "upstream.smshub", "ratelimit", "ledger"),
      // what activations and rentals share: allocation failures, stored SMS, close retries
      Set.of("order"),
      // what a feature module is (routes, timer handlers, sweep sources, periodic jobs)
      Set.of("module"),
      // the HTTP front's cross-cutting parts: authentication, idempotency, problems, request parsing
      Set.of("api"),
      // features everything else stands on: accounts, wallets, policies, suppliers, catalog, webhooks, delivery rates
      Set.of("account", "wallet", "policy", "routing", "catalog", "webhook", "delivery", "staff"),
      // the orders
      Set.of("activation", "push", "claim", "rental"),
      // features over the orders
      Set.of("abuse", "outage", "compat", "sandbox", "lookup"),
      // the web consoles: pages over every feature's services
      Set.of("web"),
      // the operator console: pages over every feature's services, on the web foundation
      Set.of("console"),
      // the composition root and the entry points
      Set.of(PackageGraph.ROOT, "dev"));

  private static PackageGraph main() {
    return PackageGraph.read(Path.of("src/main/java"), BASE);
  }

  @Test
  @DisplayName("no package of src/main is in a dependency cycle")
  void noCycles() {
    PackageGraph graph = main();
    assertThat(graph.packages()).as("packages read").contains("api", "activation", "timer", PackageGraph.ROOT);
    assertThat(graph.cycles()).as(graph.describeCycles()).isEmpty();
  }

  @Test
  @DisplayName("no package depends on a layer above its own, and every package has a layer")
  void layersOnlyLookDown() {
    assertThat(main().layerViolations(LAYERS)).isEmpty();
  }

  @Test
  @DisplayName("the check finds a cycle, an upward dependency and a package without a layer in a tree made to have them")
  void theCheckCanFail(@TempDir Path root) throws IOException {
    write(root, "low/Low.java", """
        package com.otporchestrator.low;
        // a comment naming com.otporchestrator.other.Nothing is no dependency, nor is "com.otporchestrator.other.Text"
        import com.otporchestrator.high.High;
        public class Low { High high; }""");
    write(root, "high/High.java", """
        package com.otporchestrator.high;
        public class High { com.otporchestrator.low.Low low; }""");
    write(root, "stray/Stray.java", """
        package com.otporchestrator.stray;
        import static com.otporchestrator.low.Low.*;
        public class Stray {}""");
    PackageGraph graph = PackageGraph.read(root, BASE);

    assertThat(graph.dependencies("low")).containsExactly("high");
    assertThat(graph.dependencies("stray")).containsExactly("low");
    assertThat(graph.cycles()).containsExactly(Set.of("high", "low"));
    assertThat(graph.describeCycles()).contains("low -> high  (low/Low.java)", "high -> low  (high/High.java)");
    assertThat(graph.layerViolations(List.of(Set.of("low"), Set.of("high"))))
        .containsExactlyInAnyOrder("stray is in no layer", "low (layer 0) -> high (layer 1)  (low/Low.java)");
  }

  private static void write(Path root, String file, String source) throws IOException {
    Path path = root.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, source);
  }
}
