package com.otporchestrator.staff;

import io.vertx.core.Future;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Hashes and checks operators' passwords: the web foundation's memory-hard hasher (Argon2id), which runs off the event
 * loop. The stored text names its own algorithm and parameters.
 */
public interface PasswordHasher {
  Future<String> hash(String password);

  /** Whether {@code password} matches {@code stored}; {@code stored} null (no such person) costs the same work. */
  Future<Boolean> verify(String password, String stored);

  static PasswordHasher of(Function<String, Future<String>> hash, BiFunction<String, String, Future<Boolean>> verify) {
    return new PasswordHasher() {
      @Override
      public Future<String> hash(String password) {
        return hash.apply(password);
      }

      @Override
      public Future<Boolean> verify(String password, String stored) {
        return verify.apply(password, stored);
      }
    };
  }
}
