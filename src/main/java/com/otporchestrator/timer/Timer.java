package com.otporchestrator.timer;

/** One deadline: fire {@code kind} for order {@code id} at {@code dueMillis} (epoch ms, database clock). */
public record Timer(TimerKind kind, long id, long dueMillis) {
  public String member() {
    return kind.member(id);
  }

  /**
   * The first epoch millisecond at or after {@code at}. Deadlines are stored in microseconds and every handler's guard
   * compares them with the database's {@code now()}: a timer rounded down would fire up to a millisecond early, find
   * nothing due, and fire again. In SQL the same rounding is {@code ceil(extract(epoch FROM t) * 1000)::bigint}.
   */
  public static long dueMillis(java.time.Instant at) {
    long floor = at.toEpochMilli();
    return at.getNano() % 1_000_000 == 0 ? floor : floor + 1;
  }

  public static Timer parse(String member, long dueMillis) {
    int colon = member.indexOf(':');
    if (colon != 1) throw new IllegalArgumentException("malformed timer member '" + member + "'");
    return new Timer(TimerKind.ofLetter(member.charAt(0)), Long.parseLong(member.substring(2)), dueMillis);
  }
}
