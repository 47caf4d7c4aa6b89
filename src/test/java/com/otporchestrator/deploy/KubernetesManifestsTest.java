package com.otporchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.otporchestrator.config.AppConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Static checks of the deployment files (k8s/, deploy/), with no cluster, no kubectl and no Docker:
 * every manifest deserializes strictly into the fabric8 Kubernetes model, kustomizations point at
 * files that exist, the overlays render (by a small strategic-merge renderer, enough for the patches
 * used here) into the Deployments we mean, and the environment they give the process is accepted
 * by {@link AppConfig}.
 */
class KubernetesManifestsTest {
  private static final Path K8S = Path.of("k8s");
  private static final Path COMPOSE = Path.of("deploy", "compose.yaml");
  private static final Path DOCKERFILE = Path.of("deploy", "Dockerfile");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
      "v1/ConfigMap", ConfigMap.class,
      "v1/Secret", Secret.class,
      "v1/Service", Service.class,
      "apps/v1/Deployment", Deployment.class,
      "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
      "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
      "batch/v1/Job", Job.class);

  /** Kustomization fields these files may use; anything else is a typo or an unreviewed feature. */
  private static final Set<String> KUSTOMIZATION_FIELDS = Set.of("apiVersion", "kind", "resources", "patches",
      "images", "namespace", "labels", "namePrefix", "nameSuffix", "configMapGenerator", "secretGenerator",
      "generatorOptions", "components");

  private static final Set<String> ROLES = Set.of("api", "timers", "sandbox");
  /** App.shutdown waits this long for the node to stop. */
  /** What the shutdown hook waits at most (App): every grace period must cover it. */
  private static final long APP_SHUTDOWN_SECONDS = AppConfig.LifecycleSettings.STOP_BUDGET.toSeconds();

  // ---- every file --------------------------------------------------------------------------------

  @Test
  void everyManifestDeserializesStrictlyIntoTheKubernetesModel() {
    List<Path> files = yamlFiles();
    assertThat(files).as("YAML files under k8s/").hasSizeGreaterThan(10);
    for (Path file : files) {
      List<ObjectNode> docs = readDocs(file);
      assertThat(docs).as(file + " documents").isNotEmpty();
      for (ObjectNode doc : docs) {
        if (isKustomization(file)) {
          assertThat(text(doc, "apiVersion")).as(file + " apiVersion").isEqualTo("kustomize.config.k8s.io/v1beta1");
          assertThat(text(doc, "kind")).as(file + " kind").isEqualTo("Kustomization");
          Set<String> fields = new TreeSet<>();
          doc.fieldNames().forEachRemaining(fields::add);
          assertThat(fields).as(file + " fields").isSubsetOf(KUSTOMIZATION_FIELDS);
        } else {
          HasMetadata object = toModel(doc, file.toString());
          assertThat(object.getMetadata().getName()).as(file + " metadata.name").isNotBlank();
        }
      }
    }
  }

  @Test
  void everyKustomizationReferencesExistingFilesAndEveryFileIsReferenced() {
    Set<Path> referenced = new HashSet<>();
    for (Path file : yamlFiles()) {
      if (!isKustomization(file)) continue;
      referenced.add(file.normalize());
      Path dir = file.getParent();
      ObjectNode k = readDocs(file).getFirst();
      List<ObjectNode> resources = new ArrayList<>();
      for (String entry : strings(k.path("resources"))) {
        Path target = dir.resolve(entry).normalize();
        assertThat(target).as(file + " resource " + entry).exists();
        if (Files.isDirectory(target)) {
          assertThat(target.resolve("kustomization.yaml")).as(file + " resource " + entry).exists();
          resources.addAll(render(target));
        } else {
          referenced.add(target);
          resources.addAll(readDocs(target));
        }
      }
      for (JsonNode patch : k.path("patches")) {
        assertThat(patch.has("path")).as(file + " patch " + patch + " is a file (inline patches are not used)").isTrue();
        Path target = dir.resolve(patch.get("path").asText()).normalize();
        assertThat(target).as(file + " patch " + patch).exists();
        referenced.add(target);
        for (ObjectNode p : readDocs(target)) {
          assertThat(find(resources, text(p, "kind"), name(p)))
              .as(target + ": the resource it patches, " + text(p, "kind") + "/" + name(p)).isNotNull();
        }
      }
    }
    assertThat(yamlFiles()).as("YAML files no kustomization uses").allSatisfy(f ->
        assertThat(referenced).contains(f.normalize()));
  }

  // ---- rendered overlays ---------------------------------------------------------------------------

  @Test
  void everyContainerIsProbedLimitedAndLockedDown() {
    for (String overlay : List.of("base", "overlays/dev", "overlays/production")) {
      Rendered r = rendered(overlay);
      assertThat(r.deployments()).as(overlay + " Deployments").isNotEmpty();
      for (Deployment d : r.deployments()) {
        String where = overlay + " Deployment " + d.getMetadata().getName();
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(where + " pod runAsNonRoot").isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).as(where + " pod runAsUser").isNotNull().isPositive();
        assertThat(pod.getAutomountServiceAccountToken()).as(where + " automountServiceAccountToken").isFalse();
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).as(where + " pods match its selector")
            .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        assertThat(d.getSpec().getSelector().getMatchLabels()).as(where + " selector").isNotEmpty();
        List<Container> all = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) all.addAll(pod.getInitContainers());
        for (Container c : all) {
          String at = where + " container " + c.getName();
          checkImage(at, c.getImage());
          checkResources(at, c);
          var sc = c.getSecurityContext();
          assertThat(sc).as(at + " securityContext").isNotNull();
          assertThat(sc.getAllowPrivilegeEscalation()).as(at + " allowPrivilegeEscalation").isFalse();
          assertThat(sc.getReadOnlyRootFilesystem()).as(at + " readOnlyRootFilesystem").isTrue();
          assertThat(sc.getCapabilities().getDrop()).as(at + " capabilities.drop").contains("ALL");
          assertThat(sc.getCapabilities().getAdd()).as(at + " capabilities.add").isNullOrEmpty();
          assertThat(c.getVolumeMounts()).as(at + " /tmp mount").anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/tmp");
            assertThat(pod.getVolumes()).anySatisfy(v -> {
              assertThat(v.getName()).isEqualTo(m.getName());
              assertThat(v.getEmptyDir()).isNotNull();
            });
          });
        }
        checkProbesAndShutdown(where, pod, r);
      }
    }
  }

  @Test
  void productionRendersSeparateApiAndWorkerDeploymentsEachWithHpaAndPdb() {
    Rendered r = rendered("overlays/production");
    Map<String, Set<String>> roles = new LinkedHashMap<>();
    r.deployments().forEach(d -> roles.put(d.getMetadata().getName(), roles(d)));
    assertThat(roles).containsExactlyInAnyOrderEntriesOf(Map.of(
        "otp-orchestrator-api", Set.of("api"),
        "otp-orchestrator-worker", Set.of("timers")));
    for (Deployment d : r.deployments()) {
      String name = d.getMetadata().getName();
      assertThat(d.getMetadata().getNamespace()).as(name + " namespace").isEqualTo("otp");
      assertThat(d.getSpec().getReplicas()).as(name + " replicas are the HPA's").isNull();
      assertThat(d.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
          .as(name + " image").startsWith("registry.example.com/");
      assertThat(hpaFor(r, d)).as(name + " HPA").isNotNull()
          .satisfies(h -> assertThat(h.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2));
      assertThat(r.of(PodDisruptionBudget.class)).as(name + " PDB").anySatisfy(pdb ->
          assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
              .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels()));
    }
    Service service = r.of(Service.class).getFirst();
    assertThat(r.deployments()).as("pods behind the Service").filteredOn(d -> d.getSpec().getTemplate().getMetadata()
            .getLabels().entrySet().containsAll(service.getSpec().getSelector().entrySet()))
        .extracting(d -> d.getMetadata().getName()).containsExactly("otp-orchestrator-api");
  }

  @Test
  void devIsOneSmallPodRunningEveryRole() {
    Rendered r = rendered("overlays/dev");
    assertThat(r.deployments()).hasSize(1);
    Deployment d = r.deployments().getFirst();
    assertThat(roles(d)).isEqualTo(Set.of("api", "timers", "sandbox"));
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    // The sandbox registers a loopback URL in the shared database: a second pod could not reach it.
    assertThat(hpaFor(r, d).getSpec().getMaxReplicas()).isEqualTo(1);
  }

  @Test
  void theProcessAcceptsTheEnvironmentEachDeploymentGivesIt() throws IOException {
    Set<String> documented = documentedVariables();
    for (String overlay : List.of("base", "overlays/dev", "overlays/production")) {
      Rendered r = rendered(overlay);
      Secret secret = r.of(Secret.class).getFirst();
      assertThat(secret.getStringData()).as(overlay + " Secret").containsKeys("DATABASE_URL", "REDIS_URL", "ADMIN_TOKEN");
      ConfigMap config = r.of(ConfigMap.class).getFirst();
      assertThat(config.getData()).as(overlay + " ConfigMap holds no secret").doesNotContainKeys(
          "DATABASE_URL", "REDIS_URL", "ADMIN_TOKEN");
      assertThat(config.getData().keySet()).as(overlay + " ConfigMap keys are documented settings").isSubsetOf(documented);
      for (Deployment d : r.deployments()) {
        Container c = d.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(c.getEnvFrom()).as(overlay + " envFrom").hasSize(2);
        assertThat(c.getEnvFrom()).as(overlay + " envFrom the ConfigMap").anyMatch(e -> e.getConfigMapRef() != null
            && e.getConfigMapRef().getName().equals(config.getMetadata().getName()));
        assertThat(c.getEnvFrom()).as(overlay + " envFrom the Secret").anyMatch(e -> e.getSecretRef() != null
            && e.getSecretRef().getName().equals(secret.getMetadata().getName()));
        Map<String, String> env = new HashMap<>(config.getData());
        env.putAll(secret.getStringData());
        for (EnvVar v : c.getEnv()) {
          assertThat(documented).as(overlay + " env " + v.getName()).contains(v.getName());
          env.put(v.getName(), v.getValue());
        }
        assertThatCode(() -> AppConfig.from(env)).as(overlay + " " + d.getMetadata().getName() + " configuration")
            .doesNotThrowAnyException();
        if (roles(d).contains("api")) {
          assertThat(c.getPorts()).as(overlay + " http port = HTTP_PORT").anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(AppConfig.from(env).httpPort());
          });
        }
      }
    }
  }

  // ---- compose and Dockerfile ----------------------------------------------------------------------

  @Test
  @SuppressWarnings("unchecked")
  void composeFileListsTheStackWithHealthGatedStartup() throws IOException {
    Map<String, Object> compose;
    try (var in = Files.newInputStream(COMPOSE)) {
      compose = new Yaml().load(in); // SnakeYAML resolves the "<<" merge keys the file uses
    }
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
    assertThat(services).containsOnlyKeys("postgres", "redis", "orchestrator-1", "orchestrator-2");
    assertThat((String) services.get("postgres").get("image")).startsWith("postgres:16");
    assertThat((String) services.get("redis").get("image")).startsWith("redis:7");
    assertThat((List<String>) services.get("redis").get("command")).containsSubsequence("--maxmemory-policy", "noeviction");
    Set<Object> hostPorts = new HashSet<>();
    Set<String> allRoles = new HashSet<>();
    for (var entry : services.entrySet()) {
      Map<String, Object> healthcheck = (Map<String, Object>) entry.getValue().get("healthcheck");
      assertThat(healthcheck).as(entry.getKey() + " healthcheck").isNotNull().containsKey("test").doesNotContainKey("disable");
      if (!entry.getKey().startsWith("orchestrator")) continue;
      Map<String, Object> service = entry.getValue();
      Map<String, Map<String, String>> dependsOn = (Map<String, Map<String, String>>) service.get("depends_on");
      assertThat(dependsOn).as(entry.getKey() + " depends_on").containsOnlyKeys("postgres", "redis");
      dependsOn.values().forEach(c -> assertThat(c).containsEntry("condition", "service_healthy"));
      Map<String, Object> build = (Map<String, Object>) service.get("build");
      assertThat(COMPOSE.getParent().resolve((String) build.get("context")).resolve((String) build.get("dockerfile")).normalize())
          .as(entry.getKey() + " Dockerfile").isEqualTo(DOCKERFILE);
      assertThat((String) service.get("image")).doesNotEndWith(":latest").contains(":");
      for (String port : (List<String>) service.get("ports")) {
        assertThat(hostPorts.add(port.split(":")[0])).as(entry.getKey() + " host port " + port + " is free").isTrue();
      }
      Map<String, String> env = new HashMap<>();
      ((Map<String, Object>) service.get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
      assertThatCode(() -> AppConfig.from(env)).as(entry.getKey() + " environment").doesNotThrowAnyException();
      Set<String> roles = Set.of(env.get("ROLES").split(","));
      assertThat(roles).as(entry.getKey() + " ROLES").contains("api", "timers").isSubsetOf(ROLES);
      allRoles.addAll(roles);
    }
    assertThat(allRoles).as("some instance runs the sandbox supplier").contains("sandbox");
  }

  @Test
  void dockerfileBuildsWithTheWrapperAndRunsTheJarAsNonRootInExecForm() throws IOException {
    // One entry per instruction: comments dropped, "\\" continuations joined.
    List<String> lines = List.of(Files.readString(DOCKERFILE).replaceAll("(?m)^\\s*#.*\\n", "")
            .replaceAll("\\\\\\n\\s*", " ").split("\\n")).stream()
        .map(String::strip).filter(l -> !l.isEmpty()).toList();
    assertThat(lines).filteredOn(l -> l.startsWith("FROM ")).satisfiesExactly(
        l -> assertThat(l).startsWith("FROM eclipse-temurin:21-jdk").endsWith(" AS build"),
        l -> assertThat(l).startsWith("FROM eclipse-temurin:21-jre"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("./mvnw").contains("dependency:go-offline"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("./mvnw").contains("-DskipTests").contains("package"));
    assertThat(lines).contains("USER 10001:10001", "EXPOSE 8080");
    assertThat(lines).filteredOn(l -> l.startsWith("ENTRYPOINT")).singleElement().satisfies(l -> assertThat(l)
        .startsWith("ENTRYPOINT [\"java\"").contains("-XX:MaxRAMPercentage=").contains("-XX:+ExitOnOutOfMemoryError")
        .endsWith("\"-jar\", \"/app/otp-orchestrator.jar\"]"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("HEALTHCHECK").contains("/health/live"));
  }

  // ---- checks ------------------------------------------------------------------------------------

  private static void checkImage(String where, String image) {
    assertThat(image).as(where + " image").isNotBlank();
    String last = image.substring(image.lastIndexOf('/') + 1);
    assertThat(last.contains(":") || image.contains("@sha256:")).as(where + " image " + image + " has a tag or digest").isTrue();
    assertThat(image).as(where + " image").doesNotEndWith(":latest");
  }

  private static void checkResources(String where, Container c) {
    var res = c.getResources();
    assertThat(res).as(where + " resources").isNotNull();
    assertThat(res.getRequests()).as(where + " requests").containsKeys("cpu", "memory");
    assertThat(res.getLimits()).as(where + " limits").containsKey("memory");
    assertThat(Quantity.getAmountInBytes(res.getLimits().get("memory")))
        .as(where + " memory limit >= request").isGreaterThanOrEqualTo(Quantity.getAmountInBytes(res.getRequests().get("memory")));
    if (res.getLimits().containsKey("cpu")) {
      assertThat(Quantity.getAmountInBytes(res.getLimits().get("cpu")))
          .as(where + " cpu limit >= request").isGreaterThanOrEqualTo(Quantity.getAmountInBytes(res.getRequests().get("cpu")));
    }
  }

  /**
   * Every container is probed on the documented health paths: api containers on their HTTP port,
   * with a preStop drain (a Service routes to them); containers without the api role on the health
   * listener's port (HEALTH_PORT, named "health"), with no preStop (no Service routes to them).
   */
  private static void checkProbesAndShutdown(String where, PodSpec pod, Rendered r) {
    Container c = pod.getContainers().getFirst();
    Set<String> roles = roles(c);
    assertThat(roles).as(where + " ROLES").isNotEmpty().isSubsetOf(ROLES);
    long grace = pod.getTerminationGracePeriodSeconds();
    String port = roles.contains("api") ? "http" : "health";
    checkHttpProbe(where + " livenessProbe", c.getLivenessProbe(), "/health/live", port);
    checkHttpProbe(where + " readinessProbe", c.getReadinessProbe(), "/health/ready", port);
    checkHttpProbe(where + " startupProbe", c.getStartupProbe(), "/health/live", port);
    assertThat(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold())
        .as(where + " startupProbe budget covers migrations (seconds)").isGreaterThanOrEqualTo(120);
    if (roles.contains("api")) {
      List<String> preStop = c.getLifecycle().getPreStop().getExec().getCommand();
      assertThat(preStop).as(where + " preStop").hasSize(2).first().isEqualTo("sleep");
      int drain = Integer.parseInt(preStop.get(1));
      assertThat(drain).as(where + " preStop sleep").isBetween(3, 30);
      assertThat(grace).as(where + " terminationGracePeriodSeconds").isGreaterThan(drain + APP_SHUTDOWN_SECONDS);
    } else {
      assertThat(c.getLifecycle() == null || c.getLifecycle().getPreStop() == null)
          .as(where + " no Service routes to it, so no preStop sleep").isTrue();
      assertThat(c.getPorts()).as(where + " ports").singleElement().satisfies(p -> {
        assertThat(p.getName()).isEqualTo("health");
        assertThat(p.getContainerPort()).as(where + " health port = HEALTH_PORT").isEqualTo(healthPort(c));
      });
      assertThat(grace).as(where + " terminationGracePeriodSeconds").isGreaterThan(APP_SHUTDOWN_SECONDS);
    }
  }

  /** HEALTH_PORT as the container sets it, else the process's default. */
  private static int healthPort(Container c) {
    return c.getEnv().stream().filter(e -> e.getName().equals("HEALTH_PORT")).map(e -> Integer.parseInt(e.getValue()))
        .findFirst().orElse(AppConfig.from(Map.of("ADMIN_TOKEN", "x".repeat(16))).lifecycle().healthPort());
  }

  private static void checkHttpProbe(String where, Probe probe, String path, String port) {
    assertThat(probe).as(where).isNotNull();
    assertThat(probe.getHttpGet()).as(where + " httpGet").isNotNull();
    assertThat(probe.getHttpGet().getPath()).as(where + " path").isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).as(where + " port").isEqualTo(port);
  }

  private static HorizontalPodAutoscaler hpaFor(Rendered r, Deployment d) {
    List<HorizontalPodAutoscaler> hpas = r.of(HorizontalPodAutoscaler.class).stream()
        .filter(h -> h.getSpec().getScaleTargetRef().getKind().equals("Deployment")
            && h.getSpec().getScaleTargetRef().getName().equals(d.getMetadata().getName()))
        .toList();
    assertThat(hpas).as("HPA of " + d.getMetadata().getName()).hasSize(1);
    HorizontalPodAutoscaler h = hpas.getFirst();
    assertThat(h.getSpec().getMetrics()).as("HPA metrics").anySatisfy(m ->
        assertThat(m.getResource().getName()).isEqualTo("cpu"));
    assertThat(h.getSpec().getMaxReplicas()).isGreaterThanOrEqualTo(h.getSpec().getMinReplicas());
    return h;
  }

  private static Set<String> roles(Deployment d) {
    return roles(d.getSpec().getTemplate().getSpec().getContainers().getFirst());
  }

  private static Set<String> roles(Container c) {
    return c.getEnv().stream().filter(e -> e.getName().equals("ROLES")).map(EnvVar::getValue)
        .flatMap(v -> Stream.of(v.split(","))).map(String::strip).collect(java.util.stream.Collectors.toSet());
  }

  /** The variable names of the configuration table (docs/configuration.md). */
  private static Set<String> documentedVariables() throws IOException {
    Set<String> names = new TreeSet<>();
    var m = java.util.regex.Pattern.compile("(?m)^\\| `([A-Z0-9_]+)` \\|").matcher(Files.readString(Path.of("docs/configuration.md")));
    while (m.find()) names.add(m.group(1));
    assertThat(names).as("docs/configuration.md table").contains("ROLES", "DATABASE_URL", "TIMER_SHARDS");
    return names;
  }

  // ---- a small kustomize: resources, strategic-merge patches by kind+name, images, namespace, labels

  private record Rendered(List<HasMetadata> objects) {
    <T extends HasMetadata> List<T> of(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<Deployment> deployments() {
      return of(Deployment.class);
    }
  }

  private static Rendered rendered(String dir) {
    List<HasMetadata> objects = new ArrayList<>();
    for (ObjectNode doc : render(K8S.resolve(dir))) objects.add(toModel(doc, dir + " rendered " + text(doc, "kind") + "/" + name(doc)));
    return new Rendered(objects);
  }

  private static List<ObjectNode> render(Path dir) {
    ObjectNode k = readDocs(dir.resolve("kustomization.yaml")).getFirst();
    List<ObjectNode> out = new ArrayList<>();
    for (String entry : strings(k.path("resources"))) {
      Path target = dir.resolve(entry).normalize();
      out.addAll(Files.isDirectory(target) ? render(target) : readDocs(target));
    }
    for (JsonNode patchRef : k.path("patches")) {
      for (ObjectNode patch : readDocs(dir.resolve(patchRef.get("path").asText()))) {
        ObjectNode target = find(out, text(patch, "kind"), name(patch));
        if (target == null) fail(dir + ": patch for a missing " + text(patch, "kind") + "/" + name(patch));
        merge(target, patch);
      }
    }
    for (JsonNode label : k.path("labels")) {
      for (ObjectNode doc : out) {
        ObjectNode labels = doc.withObjectProperty("metadata").withObjectProperty("labels");
        label.path("pairs").properties().forEach(e -> labels.set(e.getKey(), e.getValue()));
      }
    }
    for (JsonNode image : k.path("images")) {
      for (ObjectNode doc : out) {
        for (JsonNode c : doc.path("spec").path("template").path("spec").path("containers")) {
          String current = c.get("image").asText();
          int colon = current.lastIndexOf(':');
          String imageName = colon > current.lastIndexOf('/') ? current.substring(0, colon) : current;
          String tag = colon > current.lastIndexOf('/') ? current.substring(colon + 1) : null;
          if (!imageName.equals(image.get("name").asText())) continue;
          String newName = image.has("newName") ? image.get("newName").asText() : imageName;
          String newTag = image.has("newTag") ? image.get("newTag").asText() : tag;
          ((ObjectNode) c).put("image", newTag == null ? newName : newName + ":" + newTag);
        }
      }
    }
    if (k.has("namespace")) out.forEach(doc -> doc.withObjectProperty("metadata").put("namespace", k.get("namespace").asText()));
    return out;
  }

  /** Strategic merge as Kubernetes does it for the lists patched here (merge key "name"). */
  private static void merge(ObjectNode target, ObjectNode patch) {
    patch.properties().forEach(e -> {
      JsonNode current = target.get(e.getKey());
      JsonNode value = e.getValue();
      if (current instanceof ObjectNode to && value instanceof ObjectNode from) {
        merge(to, from);
      } else if (current instanceof ArrayNode to && value instanceof ArrayNode from && keyedByName(to) && keyedByName(from)) {
        for (JsonNode item : from) {
          ObjectNode same = null;
          for (JsonNode existing : to) {
            if (existing.get("name").asText().equals(item.get("name").asText())) same = (ObjectNode) existing;
          }
          if (same == null) to.add(item.deepCopy()); else merge(same, (ObjectNode) item);
        }
      } else {
        target.set(e.getKey(), value.deepCopy());
      }
    });
  }

  private static boolean keyedByName(ArrayNode list) {
    for (JsonNode item : list) if (!item.isObject() || !item.has("name")) return false;
    return true;
  }

  // ---- reading -------------------------------------------------------------------------------------

  private static List<Path> yamlFiles() {
    try (Stream<Path> walk = Files.walk(K8S)) {
      return walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isKustomization(Path file) {
    return file.getFileName().toString().equals("kustomization.yaml");
  }

  private static List<ObjectNode> readDocs(Path file) {
    assertThat(file).as("referenced file").isRegularFile();
    try (var parser = YAML.getFactory().createParser(Files.readString(file, StandardCharsets.UTF_8))) {
      List<ObjectNode> docs = new ArrayList<>();
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc == null || doc.isNull() || doc.isMissingNode()) continue;
        assertThat(doc.isObject()).as(file + " document is a mapping").isTrue();
        docs.add((ObjectNode) doc);
      }
      return docs;
    } catch (IOException e) {
      throw new AssertionError(file + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  /**
   * fabric8 model classes keep unknown fields in {@code additionalProperties} rather than failing,
   * so strictness is checked here: after deserializing, no object of the model may hold one.
   */
  private static HasMetadata toModel(ObjectNode doc, String where) {
    String key = text(doc, "apiVersion") + "/" + text(doc, "kind");
    Class<? extends HasMetadata> type = KINDS.get(key);
    assertThat(type).as(where + ": supported kind " + key + " (one of " + KINDS.keySet() + ")").isNotNull();
    HasMetadata object;
    try {
      object = YAML.treeToValue(doc, type);
    } catch (IOException e) {
      throw new AssertionError(where + " does not deserialize into " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
    List<String> unknown = new ArrayList<>();
    collectUnknown(object, type.getSimpleName(), unknown, new IdentityHashMap<>());
    assertThat(unknown).as(where + ": fields the Kubernetes model does not know").isEmpty();
    return object;
  }

  private static void collectUnknown(Object value, String path, List<String> unknown, Map<Object, Boolean> seen) {
    if (value == null || seen.put(value, Boolean.TRUE) != null) return;
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) collectUnknown(item, path + "[" + i++ + "]", unknown, seen);
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> collectUnknown(v, path + "." + k, unknown, seen));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) return;
    for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) continue;
        f.setAccessible(true);
        Object v;
        try {
          v = f.get(value);
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
        if (f.getName().equals("additionalProperties") && v instanceof Map<?, ?> extra) {
          extra.keySet().forEach(k -> unknown.add(path + "." + k));
        } else {
          collectUnknown(v, path + "." + f.getName(), unknown, seen);
        }
      }
    }
  }

  private static ObjectNode find(List<ObjectNode> docs, String kind, String name) {
    return docs.stream().filter(d -> kind.equals(text(d, "kind")) && name.equals(name(d))).findFirst().orElse(null);
  }

  private static String text(JsonNode doc, String field) {
    return doc.path(field).asText();
  }

  private static String name(JsonNode doc) {
    return doc.path("metadata").path("name").asText();
  }

  private static List<String> strings(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.asText()));
    return out;
  }
}
