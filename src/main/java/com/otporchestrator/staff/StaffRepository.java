package com.otporchestrator.staff;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs the staff statements. */
final class StaffRepository {
  /** A person with their stored password hash, for the login check only. */
  record WithHash(Person person, String passwordHash) {}

  private final Pool pool;

  StaffRepository(Pool pool) {
    this.pool = pool;
  }

  /** Empty when the email is taken. */
  Future<Optional<Person>> create(String email, String name, Role role, String passwordHash) {
    return pool.preparedQuery(StaffSql.CREATE).execute(Tuple.of(email, name, role.code(), passwordHash))
        .map(StaffRepository::first);
  }

  Future<Optional<WithHash>> forLogin(String email) {
    return pool.preparedQuery(StaffSql.LOGIN).execute(Tuple.of(email)).map(rows -> rows.size() == 0 ? Optional.empty()
        : Optional.of(new WithHash(person(rows.iterator().next()), rows.iterator().next().getString("password_hash"))));
  }

  Future<Optional<Person>> byId(long id) {
    return pool.preparedQuery(StaffSql.BY_ID).execute(Tuple.of(id)).map(StaffRepository::first);
  }

  /** Empty when there is no such person. */
  Future<Optional<Person>> update(long id, Boolean active, Role role, String passwordHash, String actor,
                                  List<String> actions, List<String> notes) {
    return pool.preparedQuery(StaffSql.UPDATE).execute(Tuple.of(id, active, role == null ? null : role.code(), passwordHash,
            actor, actions.toArray(String[]::new)).addArrayOfString(notes.toArray(String[]::new)))
        .map(StaffRepository::first);
  }

  Future<List<Person>> page(Long after, int limit) {
    return pool.preparedQuery(StaffSql.PAGE).execute(Tuple.of(after, limit)).map(rows -> {
      List<Person> out = new ArrayList<>();
      rows.forEach(r -> out.add(person(r)));
      return out;
    });
  }

  private static Optional<Person> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(person(rows.iterator().next()));
  }

  private static Person person(Row r) {
    return new Person(r.getLong("id"), r.getString("email"), r.getString("name"), Role.of(r.getString("role")),
        r.getOffsetDateTime("created_at"), r.getOffsetDateTime("disabled_at"));
  }
}
