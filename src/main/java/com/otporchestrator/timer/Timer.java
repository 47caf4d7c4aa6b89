package com.otporchestrator.timer;

/** One deadline: fire {@code kind} for order {@code id} at {@code dueMillis} (epoch ms, database clock). */
public record Timer(TimerKind kind, long id, long dueMillis) {
  public String member() {
    return kind.member(id);
  }

  public static Timer parse(String member, long dueMillis) {
    int colon = member.indexOf(':');
    if (colon != 1) throw new IllegalArgumentException("malformed timer member '" + member + "'");
    return new Timer(TimerKind.ofLetter(member.charAt(0)), Long.parseLong(member.substring(2)), dueMillis);
  }
}
