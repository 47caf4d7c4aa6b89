package com.otporchestrator.policy;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Published policy versions and the one in force. A version never changes once stored, so parsed versions are cached
 * for the life of the process; which version is in force is always read from PostgreSQL, and new orders pick it inside
 * their own purchase statement (view {@code policy_current}), never from this cache.
 */
public final class Policies {
  private static final Logger LOG = LoggerFactory.getLogger(Policies.class);

  private final Vertx vertx;
  private final Pool pool;
  private final PolicyNotices notices;
  private final Map<String, RefundPolicy> parsed = new ConcurrentHashMap<>();

  public Policies(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
    this.notices = new PolicyNotices(pool);
  }

  /** The notices of changes of the policy in force (recorded by {@link #setInForce} and {@link #publish}). */
  public PolicyNotices notices() {
    return notices;
  }

  /** The policy in force, in words: every rule with its source sentences, and when the version was published. */
  public Future<Explained> explainInForce() {
    return inForce().compose(now -> explain(now.policy().id(), now.policy().version())
        .map(e -> new Explained(e.policy(), e.published(), e.rules(), now.since())));
  }

  /** A published version in words; NOT_FOUND when it does not exist. */
  public Future<Explained> explain(String id, int version) {
    return document(id, version).compose(doc -> version(id, version).map(policy -> {
      PublishedPolicy published = published(doc.getJsonObject("published"));
      return new Explained(policy, published, PolicyWords.rules(policy, doc.getString("document")), null);
    }));
  }

  /**
   * A version in words.
   *
   * @param inForceSince when the policy in force started applying (null for a version read by id)
   */
  public record Explained(RefundPolicy policy, PublishedPolicy published, List<PolicyWords.Rule> rules,
                          OffsetDateTime inForceSince) {}

  private static PublishedPolicy published(JsonObject json) {
    return new PublishedPolicy(json.getString("policyId"), json.getInteger("version"), json.getString("sha256"),
        OffsetDateTime.parse(json.getString("publishedAt")), json.getString("publishedBy"));
  }

  /** What is in force for new orders, since when and set by whom. */
  public record InForce(RefundPolicy policy, OffsetDateTime since, String setBy) {}

  /** Stores the shipped presets (a version already stored is left alone) and names a policy in force if none is. */
  public Future<Void> bootstrap(String defaultPolicyId) {
    return vertx.executeBlocking(Policies::readPresets).compose(presets -> {
      Future<Void> chain = Future.succeededFuture();
      for (String yaml : presets) chain = chain.compose(v -> storePreset(yaml));
      return chain;
    }).compose(v -> latestVersion(defaultPolicyId)).compose(latest -> {
      if (latest == 0) {
        return Future.failedFuture(new IllegalStateException("REFUND_POLICY names '" + defaultPolicyId
            + "', which has no published version; presets: " + PolicyLoader.PRESETS));
      }
      return pool.preparedQuery(PolicySql.BOOTSTRAP_IN_FORCE).execute(Tuple.of(defaultPolicyId)).mapEmpty();
    });
  }

  private static List<String> readPresets() {
    List<String> docs = new ArrayList<>();
    for (String name : PolicyLoader.PRESETS) {
      try (InputStream in = Policies.class.getClassLoader().getResourceAsStream("policies/" + name + ".yaml")) {
        if (in == null) throw new IllegalStateException("preset policies/" + name + ".yaml is missing from the jar");
        docs.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return docs;
  }

  private Future<Void> storePreset(String yaml) {
    RefundPolicy p = PolicyLoader.parse("preset", yaml);
    PolicyColumns c = PolicyColumns.of(p);
    String sha = sha256(yaml);
    List<Object> args = new ArrayList<>(java.util.Arrays.asList(p.id(), p.version(), yaml, sha));
    args.addAll(c.values());
    return pool.preparedQuery(PolicySql.INSERT_PRESET).execute(Tuple.from(args))
        .compose(r -> pool.preparedQuery(PolicySql.SHA_OF).execute(Tuple.of(p.id(), p.version())))
        .map(rows -> {
          String stored = rows.iterator().next().getString("document_sha256");
          if (!stored.equals(sha)) {
            LOG.atWarn().log("preset {} version {} differs from the stored version, which stays in force for its orders;"
                + " ship changes as a new version", p.id(), p.version());
          }
          return null;
        });
  }

  /**
   * Publishes a new version. The document's own {@code version} must be the next one (1 for a new policy): a
   * published version is immutable, and two admins publishing the same version at once cannot both succeed.
   */
  public Future<PublishedPolicy> publish(String yaml, String by) {
    RefundPolicy p;
    try {
      p = PolicyLoader.parse("policy", yaml);
    } catch (PolicyValidationException e) {
      return Future.failedFuture(new DomainException(Kind.INVALID_INPUT,
          "the policy document is not valid: " + String.join("; ", e.problems()),
          new JsonObject().put("problems", new JsonArray(new ArrayList<>(e.problems())))));
    }
    PolicyColumns c = PolicyColumns.of(p);
    String sha = sha256(yaml);
    List<Object> args = new ArrayList<>(java.util.Arrays.asList(p.id(), p.version(), yaml, sha, by));
    args.addAll(c.values());
    return pool.preparedQuery(PolicySql.PUBLISH_NEXT).execute(Tuple.from(args))
        .compose(rows -> {
          if (rows.size() == 1) {
            parsed.put(key(p.id(), p.version()), p);
            PublishedPolicy published = new PublishedPolicy(p.id(), p.version(), sha,
                rows.iterator().next().getOffsetDateTime("published_at"), by);
            // a new version of the policy in force applies to new orders from now: that is a change customers are told of
            return notices.recordChange(by).map(n -> published);
          }
          return latestVersion(p.id()).compose(latest -> Future.failedFuture(new DomainException(Kind.CONFLICT,
              "policy " + p.id() + " is at version " + latest + "; a published version is immutable, so publish version "
                  + (latest + 1), new JsonObject().put("nextVersion", latest + 1))));
        });
  }

  /** One published version, parsed; NOT_FOUND when it does not exist. */
  public Future<RefundPolicy> version(String id, int version) {
    RefundPolicy cached = parsed.get(key(id, version));
    if (cached != null) return Future.succeededFuture(cached);
    return document(id, version).map(doc -> parsed.computeIfAbsent(key(id, version),
        k -> PolicyLoader.parse(id + "@" + version, doc.getString("document"))));
  }

  /** The stored document and its bookkeeping. */
  public Future<JsonObject> document(String id, int version) {
    return pool.preparedQuery(PolicySql.DOCUMENT).execute(Tuple.of(id, version)).map(rows -> {
      if (rows.size() == 0) throw DomainException.notFound("policy " + id + " has no version " + version);
      Row r = rows.iterator().next();
      return new JsonObject().put("document", r.getString("document")).put("published", toJson(published(r)));
    });
  }

  public Future<InForce> inForce() {
    return pool.preparedQuery(PolicySql.IN_FORCE).execute().compose(rows -> {
      if (rows.size() == 0) return Future.failedFuture(new IllegalStateException("no policy is in force"));
      Row r = rows.iterator().next();
      return version(r.getString("policy_id"), r.getInteger("version"))
          .map(p -> new InForce(p, r.getOffsetDateTime("set_at"), r.getString("set_by")));
    });
  }

  /** Makes the newest version of {@code id} apply to orders bought from now on. */
  public Future<InForce> setInForce(String id, String by) {
    return latestVersion(id).compose(latest -> {
      if (latest == 0) return Future.failedFuture(DomainException.notFound("no published policy " + id));
      return pool.preparedQuery(PolicySql.SET_IN_FORCE).execute(Tuple.of(id, by))
          .compose(r -> notices.recordChange(by)).compose(r -> inForce());
    });
  }

  public Future<JsonArray> inForceHistory() {
    return pool.query(PolicySql.IN_FORCE_HISTORY).execute().map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        out.add(new JsonObject().put("policyId", r.getString("policy_id")).put("setAt", r.getOffsetDateTime("set_at").toString())
            .put("setBy", r.getString("set_by")));
      }
      return out;
    });
  }

  /** Every version of one policy, newest first; NOT_FOUND for an unknown policy. */
  public Future<List<PublishedPolicy>> history(String id) {
    return pool.preparedQuery(PolicySql.HISTORY).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) throw DomainException.notFound("no published policy " + id);
      List<PublishedPolicy> out = new ArrayList<>();
      for (Row r : rows) out.add(published(r));
      return out;
    });
  }

  /** The newest version of every policy. */
  public Future<List<PublishedPolicy>> latest() {
    return pool.query(PolicySql.ALL_LATEST).execute().map(rows -> {
      List<PublishedPolicy> out = new ArrayList<>();
      for (Row r : rows) out.add(published(r));
      return out;
    });
  }

  private Future<Integer> latestVersion(String id) {
    return pool.preparedQuery(PolicySql.LATEST_VERSION).execute(Tuple.of(id)).map(rows -> {
      Integer v = rows.iterator().next().getInteger("version");
      return v == null ? 0 : v;
    });
  }

  public static JsonObject toJson(PublishedPolicy p) {
    return new JsonObject().put("policyId", p.id()).put("version", p.version()).put("sha256", p.sha256())
        .put("publishedAt", p.publishedAt().toString()).put("publishedBy", p.publishedBy());
  }

  private static PublishedPolicy published(Row r) {
    return new PublishedPolicy(r.getString("policy_id"), r.getInteger("version"), r.getString("document_sha256"),
        r.getOffsetDateTime("published_at"), r.getString("published_by"));
  }

  private static String key(String id, int version) {
    return id + "@" + version;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
