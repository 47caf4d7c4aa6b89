package com.otporchestrator.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.otporchestrator.policy.RefundPolicy.*;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.*;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict loader: every key must be known, every value of the right type, durations ISO-8601 and not negative, required
 * fields present. All problems are collected and reported together, each with its path ({@code claims[1].filingWindow}).
 */
public final class PolicyLoader {
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");
  private static final List<String> REMEDIES = List.of("full_refund", "replacement");
  private static final Pattern BUSINESS_DAYS = Pattern.compile("(\\d+)(?:-(\\d+))? business days?");

  /** The presets shipped in src/main/resources/policies/, one per seed document. */
  public static final List<String> PRESETS =
      List.of("esimpy-return-policy", "instaotp-refund-policy", "otpdesk-refund-policy", "smsactivator-refund-policy",
          "smssb-refund-policy");

  private final List<String> problems = new ArrayList<>();

  private PolicyLoader() {}

  public static RefundPolicy preset(String name) {
    String res = "policies/" + name + ".yaml";
    try (InputStream in = PolicyLoader.class.getClassLoader().getResourceAsStream(res)) {
      if (in == null) throw new IllegalArgumentException("no preset " + res);
      return parse(res, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static RefundPolicy parse(String documentName, String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new PolicyValidationException(documentName, List.of("not valid YAML: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage())));
    }
    PolicyLoader l = new PolicyLoader();
    RefundPolicy p = l.policy(root);
    if (!l.problems.isEmpty()) throw new PolicyValidationException(documentName, l.problems);
    return p;
  }

  // ---- document ----

  private RefundPolicy policy(JsonNode n) {
    if (n == null || !n.isObject()) {
      problems.add("$: expected a mapping at the top level");
      return null;
    }
    keys(n, "$", Set.of("id", "version", "source", "effective", "activation", "rental", "autoRefunds", "claims",
        "exclusions", "review", "wallet"));
    String id = id(n, "$", "id");
    Integer version = integer(n, "$", "version", true, 1);
    String source = text(n, "$", "source", true);
    Optional<LocalDate> effective = Optional.ofNullable(date(n, "$", "effective"));
    Activation activation = obj(n, "$", "activation", true) ? activation(n.get("activation"), "activation") : null;
    Set<AutoRefundEvent> auto = EnumSet.noneOf(AutoRefundEvent.class);
    List<String> autoNames = texts(n, "$", "autoRefunds", true);
    for (int i = 0; i < autoNames.size(); i++) {
      AutoRefundEvent e = enumValue(AutoRefundEvent.class, autoNames.get(i), "autoRefunds[" + i + "]");
      if (e != null && !auto.add(e)) problems.add("autoRefunds[" + i + "]: " + autoNames.get(i) + " listed twice");
    }
    Optional<Rental> rental = obj(n, "$", "rental", false) ? Optional.ofNullable(rental(n.get("rental"), "rental"))
        : Optional.empty();
    List<ClaimType> claims = new ArrayList<>();
    Set<String> claimIds = new HashSet<>();
    forEach(n, "$", "claims", true, (c, path) -> {
      ClaimType ct = claim(c, path);
      if (ct != null && ct.id() != null && !claimIds.add(ct.id())) problems.add(path + ".id: duplicate claim id " + ct.id());
      claims.add(ct);
    });
    List<Exclusion> exclusions = new ArrayList<>();
    forEach(n, "$", "exclusions", true, (c, path) -> exclusions.add(exclusion(c, path, claimIds)));
    Review review = obj(n, "$", "review", true) ? review(n.get("review"), "review") : null;
    Wallet wallet = obj(n, "$", "wallet", true) ? wallet(n.get("wallet"), "wallet") : null;
    if (!problems.isEmpty()) return null;
    return new RefundPolicy(id, version, source, effective, activation, rental, Collections.unmodifiableSet(auto),
        List.copyOf(claims), List.copyOf(exclusions), review, wallet);
  }

  private Activation activation(JsonNode n, String path) {
    keys(n, path, Set.of("window", "cancelNotBefore"));
    Optional<Duration> window = Optional.ofNullable(duration(n, path, "window", false));
    Duration cnb = duration(n, path, "cancelNotBefore", true);
    if (cnb != null && window.isPresent() && cnb.compareTo(window.get()) >= 0)
      problems.add(path + ".cancelNotBefore: must be shorter than window");
    return new Activation(window, cnb);
  }

  /** Rental events refunded automatically: the upstream events; the customer's own ones are activation rules. */
  private static final Set<AutoRefundEvent> RENTAL_EVENTS = EnumSet.of(AutoRefundEvent.NUMBER_BROKEN_UPSTREAM,
      AutoRefundEvent.ALLOCATION_FAILURE, AutoRefundEvent.PLATFORM_OUTAGE);

  private Rental rental(JsonNode n, String path) {
    keys(n, path, Set.of("minDuration", "maxDuration", "cancelWindow", "refunds"));
    Duration min = duration(n, path, "minDuration", false);
    Duration max = duration(n, path, "maxDuration", false);
    if (min != null && max != null && min.compareTo(max) > 0) problems.add(path + ".minDuration: longer than maxDuration");
    Map<AutoRefundEvent, RentalRefund> refunds = new EnumMap<>(AutoRefundEvent.class);
    if (obj(n, path, "refunds", false)) {
      String at = path + ".refunds";
      n.get("refunds").fields().forEachRemaining(entry -> {
        String where = at + "." + entry.getKey();
        AutoRefundEvent event = enumValue(AutoRefundEvent.class, entry.getKey(), where);
        if (event == null) return;
        if (!RENTAL_EVENTS.contains(event)) {
          problems.add(where + ": a rental is refunded automatically only for " + names(RENTAL_EVENTS));
          return;
        }
        if (!entry.getValue().isTextual()) {
          problems.add(where + ": expected full or unused_pro_rata, got " + kind(entry.getValue()));
          return;
        }
        RentalRefund how = enumValue(RentalRefund.class, entry.getValue().asText(), where);
        if (how != null) refunds.put(event, how);
      });
    }
    return new Rental(Optional.ofNullable(min), Optional.ofNullable(max),
        Optional.ofNullable(duration(n, path, "cancelWindow", false)), Collections.unmodifiableMap(refunds));
  }

  private static String names(Set<? extends Enum<?>> values) {
    StringJoiner out = new StringJoiner(", ");
    values.forEach(v -> out.add(v.name().toLowerCase(Locale.ROOT)));
    return out.toString();
  }

  private ClaimType claim(JsonNode n, String path) {
    if (!n.isObject()) {
      problems.add(path + ": expected a mapping");
      return null;
    }
    keys(n, path, Set.of("id", "description", "appliesTo", "when", "filingWindow", "evidence", "resolutionWithin",
        "remedies", "remedyChoice"));
    String id = id(n, path, "id");
    String desc = text(n, path, "description", true);
    Set<OrderKind> applies = EnumSet.noneOf(OrderKind.class);
    for (String s : texts(n, path, "appliesTo", true)) {
      OrderKind k = enumValue(OrderKind.class, s, path + ".appliesTo");
      if (k != null) applies.add(k);
    }
    if (n.has("appliesTo") && applies.isEmpty() && n.get("appliesTo").isArray() && n.get("appliesTo").isEmpty())
      problems.add(path + ".appliesTo: must not be empty");
    String w = text(n, path, "when", true);
    ClaimCondition when = w == null ? null : enumValue(ClaimCondition.class, w, path + ".when");
    Optional<Duration> filing = Optional.ofNullable(duration(n, path, "filingWindow", false));
    List<Evidence> evidence = new ArrayList<>();
    forEach(n, path, "evidence", false, (e, p) -> {
      if (!e.isObject()) {
        problems.add(p + ": expected a mapping");
        return;
      }
      keys(e, p, Set.of("kind", "onlyIfTag"));
      evidence.add(new Evidence(text(e, p, "kind", true), Optional.ofNullable(text(e, p, "onlyIfTag", false))));
    });
    Optional<Duration> res = Optional.ofNullable(duration(n, path, "resolutionWithin", false));
    List<String> remedies = texts(n, path, "remedies", false);
    for (int i = 0; i < remedies.size(); i++) {
      if (!REMEDIES.contains(remedies.get(i))) {
        problems.add(path + ".remedies[" + i + "]: unknown value " + remedies.get(i) + " (allowed: " + String.join(", ", REMEDIES) + ")");
      } else if (remedies.indexOf(remedies.get(i)) != i) {
        problems.add(path + ".remedies[" + i + "]: " + remedies.get(i) + " listed twice");
      }
    }
    String choice = text(n, path, "remedyChoice", false);
    RemedyChoice remedyChoice = choice == null ? RemedyChoice.SUPPORT : enumValue(RemedyChoice.class, choice, path + ".remedyChoice");
    if (remedyChoice == RemedyChoice.CUSTOMER && remedies.size() < 2) {
      problems.add(path + ".remedyChoice: customer needs at least two remedies to choose from");
    }
    if (applies.contains(OrderKind.ACCOUNT)) {
      // an account claim names a deposit reference, not an order: nothing to count a window from, no SMS, no price
      if (applies.size() > 1) problems.add(path + ".appliesTo: account cannot be combined with order kinds");
      if (when != null && when != ClaimCondition.ANY) problems.add(path + ".when: an account claim has no SMS; use any");
      if (filing.isPresent()) problems.add(path + ".filingWindow: an account claim has no purchase to count it from");
      if (!remedies.isEmpty()) problems.add(path + ".remedies: an account claim is resolved by an adjustment; list none");
    }
    return new ClaimType(id, desc, Collections.unmodifiableSet(applies), when, filing, List.copyOf(evidence), res,
        remedies, remedyChoice == null ? RemedyChoice.SUPPORT : remedyChoice);
  }

  private Exclusion exclusion(JsonNode n, String path, Set<String> claimIds) {
    if (!n.isObject()) {
      problems.add(path + ": expected a mapping");
      return null;
    }
    keys(n, path, Set.of("id", "text", "orderTag", "claims"));
    String id = id(n, path, "id");
    String text = text(n, path, "text", true);
    Optional<String> tag = Optional.ofNullable(text(n, path, "orderTag", false));
    List<String> claims = texts(n, path, "claims", false);
    for (int i = 0; i < claims.size(); i++)
      if (!claimIds.contains(claims.get(i))) problems.add(path + ".claims[" + i + "]: unknown claim id " + claims.get(i));
    if (!claims.isEmpty() && tag.isEmpty()) problems.add(path + ".claims: needs orderTag to say which orders lose them");
    return new Exclusion(id, text, tag, claims);
  }

  private Review review(JsonNode n, String path) {
    keys(n, path, Set.of("responseWithin", "resolutionWithin", "escalation", "decisionsFinal"));
    Optional<Deadline> resp = Optional.ofNullable(deadline(n, path, "responseWithin"));
    Optional<Deadline> resol = Optional.ofNullable(deadline(n, path, "resolutionWithin"));
    List<String> esc = texts(n, path, "escalation", false);
    Boolean fin = bool(n, path, "decisionsFinal", true);
    return new Review(resp, resol, esc, fin != null && fin);
  }

  private Wallet wallet(JsonNode n, String path) {
    keys(n, path, Set.of("refundDestination", "currency", "topUpsRefundable", "balanceExpires", "payouts",
        "payoutMinimum", "serviceCredits"));
    String dest = text(n, path, "refundDestination", true);
    if (dest != null && !Set.of("wallet").contains(dest)) problems.add(path + ".refundDestination: expected wallet, got " + dest);
    String cur = text(n, path, "currency", true);
    if (cur != null && !cur.matches("[A-Z]{3}")) problems.add(path + ".currency: expected an ISO-4217 code, got " + cur);
    Boolean top = bool(n, path, "topUpsRefundable", true);
    Boolean exp = bool(n, path, "balanceExpires", true);
    Payouts payouts = Payouts.NONE;
    if (obj(n, path, "payouts", false)) {
      String at = path + ".payouts";
      JsonNode p = n.get("payouts");
      keys(p, at, Set.of("allowed", "minimum", "closesAccount"));
      Boolean allowed = bool(p, at, "allowed", true);
      Optional<BigDecimal> min = usd(p, at, "minimum");
      Boolean closes = bool(p, at, "closesAccount", false);
      if (Boolean.FALSE.equals(allowed) && min.isPresent()) problems.add(at + ".minimum: payouts are not allowed");
      if (Boolean.FALSE.equals(allowed) && Boolean.TRUE.equals(closes)) problems.add(at + ".closesAccount: payouts are not allowed");
      if (n.has("payoutMinimum")) problems.add(path + ".payoutMinimum: give it as payouts.minimum, not both");
      payouts = new Payouts(Boolean.TRUE.equals(allowed), min, Boolean.TRUE.equals(closes));
    } else if (n.has("payoutMinimum")) {
      // the shape of the first published versions: a minimum alone allowed a payout of any part of the balance
      Optional<BigDecimal> min = usd(n, path, "payoutMinimum");
      if (min.isPresent()) payouts = new Payouts(true, min, false);
    }
    boolean outagesOnly = false;
    if (obj(n, path, "serviceCredits", false)) {
      String at = path + ".serviceCredits";
      keys(n.get("serviceCredits"), at, Set.of("outagesOnly"));
      outagesOnly = Boolean.TRUE.equals(bool(n.get("serviceCredits"), at, "outagesOnly", true));
    }
    return new Wallet(dest, cur, top != null && top, exp != null && exp, payouts, outagesOnly);
  }

  /** A USD amount: a number, not negative, at most micro-dollar precision. */
  private Optional<BigDecimal> usd(JsonNode n, String path, String key) {
    JsonNode m = n.get(key);
    if (m == null || m.isNull()) return Optional.empty();
    if (!m.isNumber()) problems.add(sub(path, key) + ": expected a number, got " + kind(m));
    else if (m.decimalValue().signum() < 0) problems.add(sub(path, key) + ": must not be negative");
    else if (m.decimalValue().stripTrailingZeros().scale() > 6) problems.add(sub(path, key) + ": finer than a micro-dollar");
    else return Optional.of(m.decimalValue());
    return Optional.empty();
  }

  // ---- typed field readers; each records a problem and returns null on failure ----

  private void keys(JsonNode n, String path, Set<String> allowed) {
    n.fieldNames().forEachRemaining(k -> {
      if (!allowed.contains(k))
        problems.add(sub(path, k) + ": unknown key (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
    });
  }

  private static String sub(String path, String key) {
    return path.equals("$") ? key : path + "." + key;
  }

  private JsonNode field(JsonNode n, String path, String key, boolean required) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      if (required) problems.add(sub(path, key) + ": required");
      return null;
    }
    return v;
  }

  private boolean obj(JsonNode n, String path, String key, boolean required) {
    JsonNode v = field(n, path, key, required);
    if (v == null) return false;
    if (!v.isObject()) {
      problems.add(sub(path, key) + ": expected a mapping, got " + kind(v));
      return false;
    }
    return true;
  }

  private String text(JsonNode n, String path, String key, boolean required) {
    JsonNode v = field(n, path, key, required);
    if (v == null) return null;
    if (!v.isTextual()) {
      problems.add(sub(path, key) + ": expected a string, got " + kind(v));
      return null;
    }
    if (v.asText().isBlank()) {
      problems.add(sub(path, key) + ": must not be blank");
      return null;
    }
    return v.asText();
  }

  private String id(JsonNode n, String path, String key) {
    String s = text(n, path, key, true);
    if (s != null && !ID.matcher(s).matches()) {
      problems.add(sub(path, key) + ": expected snake_case id, got " + s);
      return null;
    }
    return s;
  }

  private Integer integer(JsonNode n, String path, String key, boolean required, int min) {
    JsonNode v = field(n, path, key, required);
    if (v == null) return null;
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      problems.add(sub(path, key) + ": expected an integer, got " + kind(v));
      return null;
    }
    if (v.intValue() < min) {
      problems.add(sub(path, key) + ": must be at least " + min + ", got " + v.intValue());
      return null;
    }
    return v.intValue();
  }

  private Boolean bool(JsonNode n, String path, String key, boolean required) {
    JsonNode v = field(n, path, key, required);
    if (v == null) return null;
    if (!v.isBoolean()) {
      problems.add(sub(path, key) + ": expected true or false, got " + kind(v));
      return null;
    }
    return v.booleanValue();
  }

  private LocalDate date(JsonNode n, String path, String key) {
    String s = text(n, path, key, false);
    if (s == null) return null;
    try {
      LocalDate date = LocalDate.parse(s);
      if (!com.otporchestrator.api.Requests.inRange(date.atStartOfDay(java.time.ZoneOffset.UTC).toInstant())) {
        problems.add(sub(path, key) + ": expected a date from 2000-01-01 to 2199-12-31, got " + s);
        return null;
      }
      return date;
    } catch (DateTimeParseException e) {
      problems.add(sub(path, key) + ": expected a date YYYY-MM-DD, got " + s);
      return null;
    }
  }

  private Duration duration(JsonNode n, String path, String key, boolean required) {
    String s = text(n, path, key, required);
    if (s == null) return null;
    try {
      Duration d = Duration.parse(s);
      if (d.isNegative()) {
        problems.add(sub(path, key) + ": must not be negative, got " + s);
        return null;
      }
      return d;
    } catch (DateTimeParseException e) {
      problems.add(sub(path, key) + ": expected an ISO-8601 duration such as PT20M or P5D, got " + s);
      return null;
    }
  }

  private Deadline deadline(JsonNode n, String path, String key) {
    String s = text(n, path, key, false);
    if (s == null) return null;
    Matcher m = BUSINESS_DAYS.matcher(s);
    if (m.matches()) {
      int lo = Integer.parseInt(m.group(1));
      int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
      if (hi < lo) {
        problems.add(sub(path, key) + ": range " + s + " ends before it starts");
        return null;
      }
      return new Deadline(Optional.empty(), Optional.of(lo), Optional.of(hi));
    }
    Duration d = duration(n, path, key, false);
    return d == null ? null : new Deadline(Optional.of(d), Optional.empty(), Optional.empty());
  }

  private List<String> texts(JsonNode n, String path, String key, boolean required) {
    List<String> out = new ArrayList<>();
    JsonNode v = field(n, path, key, required);
    if (v == null) return out;
    if (!v.isArray()) {
      problems.add(sub(path, key) + ": expected a list, got " + kind(v));
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      if (!e.isTextual()) problems.add(sub(path, key) + "[" + i + "]: expected a string, got " + kind(e));
      else out.add(e.asText());
    }
    return List.copyOf(out);
  }

  private void forEach(JsonNode n, String path, String key, boolean required,
      java.util.function.BiConsumer<JsonNode, String> each) {
    JsonNode v = field(n, path, key, required);
    if (v == null) return;
    if (!v.isArray()) {
      problems.add(sub(path, key) + ": expected a list, got " + kind(v));
      return;
    }
    for (int i = 0; i < v.size(); i++) each.accept(v.get(i), sub(path, key) + "[" + i + "]");
  }

  private <E extends Enum<E>> E enumValue(Class<E> type, String s, String path) {
    for (E e : type.getEnumConstants()) if (e.name().equalsIgnoreCase(s)) return e;
    StringJoiner allowed = new StringJoiner(", ");
    for (E e : type.getEnumConstants()) allowed.add(e.name().toLowerCase(Locale.ROOT));
    problems.add(path + ": unknown value " + s + " (allowed: " + allowed + ")");
    return null;
  }

  private static String kind(JsonNode v) {
    if (v.isTextual()) return "string \"" + v.asText() + "\"";
    if (v.isNumber()) return "number " + v.asText();
    if (v.isBoolean()) return "boolean " + v.asText();
    if (v.isArray()) return "a list";
    if (v.isObject()) return "a mapping";
    return v.getNodeType().toString().toLowerCase(Locale.ROOT);
  }
}
