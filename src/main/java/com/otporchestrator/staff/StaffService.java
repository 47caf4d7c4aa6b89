package com.otporchestrator.staff;

import com.otporchestrator.common.DomainException;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Operators: open a person's account with a role, check a login. Password hashing is slow on purpose and runs on a
 * worker thread ({@link PasswordHasher}), never on an event loop; an unknown email costs the same work as a wrong
 * password.
 */
public final class StaffService {
  public static final int MAX_PAGE = 200;
  public static final int MIN_PASSWORD = 12;
  private static final String EMAIL = "[A-Za-z0-9._+-]{1,64}@[A-Za-z0-9.-]{1,190}";

  private final StaffRepository repository;
  private final PasswordHasher hasher;

  StaffService(StaffRepository repository, PasswordHasher hasher) {
    this.repository = repository;
    this.hasher = hasher;
  }

  /** A new person; a taken email is a conflict. */
  public Future<Person> create(String email, String name, String roleCode, String password) {
    if (email == null || !email.matches(EMAIL)) throw DomainException.invalid("'email' must be an email address");
    if (name == null || name.isBlank() || name.length() > 200) throw DomainException.invalid("'name' must be 1 to 200 characters");
    Role role = Role.of(roleCode);
    if (role == null) throw DomainException.invalid("'role' must be support, senior_support, finance or admin");
    if (password == null || password.length() < MIN_PASSWORD || password.length() > 200) {
      throw DomainException.invalid("'password' must be " + MIN_PASSWORD + " to 200 characters");
    }
    return hasher.hash(password)
        .compose(hash -> repository.create(email, name, role, hash))
        .map(made -> made.orElseThrow(() -> new DomainException(DomainException.Kind.CONFLICT,
            "a person with email " + email + " already exists")));
  }

  /**
   * Disables or enables a person, changes their role or sets a new password (each null: unchanged), decided by
   * {@code actor}. Disabling or a new password ends the person's console sessions at once.
   */
  public Future<Person> update(long id, Boolean active, String roleCode, String password, String actor) {
    Role role = roleCode == null ? null : Role.of(roleCode);
    if (roleCode != null && role == null) throw DomainException.invalid("'role' must be support, senior_support, finance or admin");
    if (password != null && (password.length() < MIN_PASSWORD || password.length() > 200)) {
      throw DomainException.invalid("'password' must be " + MIN_PASSWORD + " to 200 characters");
    }
    if (active == null && role == null && password == null) {
      throw DomainException.invalid("give at least one of 'active', 'role' and 'password'");
    }
    List<String> actions = new java.util.ArrayList<>();
    List<String> notes = new java.util.ArrayList<>();
    if (active != null) {
      actions.add(active ? "staff.enable" : "staff.disable");
      notes.add(null);
    }
    if (role != null) {
      actions.add("staff.role");
      notes.add(role.code());
    }
    if (password != null) {
      actions.add("staff.password");
      notes.add(null);
    }
    Future<String> hash = password == null ? Future.succeededFuture(null) : hasher.hash(password);
    return hash.compose(h -> repository.update(id, active, role, h, actor, actions, notes))
        .map(found -> found.orElseThrow(() -> DomainException.notFound("person " + id + " does not exist")));
  }

  /** The person with this email and password, if active; empty otherwise (which of them was wrong is not said). */
  public Future<Optional<Person>> authenticate(String email, String password) {
    if (email == null || password == null || email.length() > 255 || password.length() > 200) {
      return Future.succeededFuture(Optional.empty());
    }
    return repository.forLogin(email).compose(found -> hasher
        .verify(password, found.map(StaffRepository.WithHash::passwordHash).orElse(null))
        .map(ok -> ok && found.isPresent() && found.get().person().active()
            ? Optional.of(found.get().person()) : Optional.<Person>empty()));
  }

  /** The person a session names, if still there and active. */
  public Future<Optional<Person>> find(long id) {
    return repository.byId(id).map(found -> found.filter(Person::active));
  }

  public Future<List<Person>> page(Long after, int limit) {
    if (limit < 1 || limit > MAX_PAGE) throw DomainException.invalid("'limit' must be an integer between 1 and " + MAX_PAGE);
    return repository.page(after, limit);
  }
}
