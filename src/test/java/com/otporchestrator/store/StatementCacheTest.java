package com.otporchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every statement the service prepares stays in the prepared-statement cache: one longer than
 * {@link Database#STATEMENT_CACHE_SQL_LIMIT} would be parsed and planned on every execution. Statements grow as features
 * append the ledger's posting fragments, so this reads every SQL constant of the compiled service.
 */
@DisplayName("Prepared statements fit the statement cache")
class StatementCacheTest {
  private static final Path CLASSES = Path.of("target", "classes");
  private static final Pattern SQL = Pattern.compile("(?is)^\\s*(WITH|SELECT|UPDATE|INSERT|DELETE)\\b.*");

  @Test
  @DisplayName("no SQL constant of the service is longer than the cache keeps")
  void everyStatementFits() throws Exception {
    Map<String, Integer> statements = statements();
    assertThat(statements).as("SQL constants found").containsKeys("ActivationSql.EXPIRE_LOCKED", "ActivationSql.HOLD_MANY",
        "ScopeRefundSql.REFUND_LOCKED", "ClaimSql.APPROVE");
    assertThat(statements).allSatisfy((name, length) -> assertThat(length).as(name).isLessThanOrEqualTo(
        Database.STATEMENT_CACHE_SQL_LIMIT));
  }

  private static Map<String, Integer> statements() throws IOException, ReflectiveOperationException {
    Map<String, Integer> found = new TreeMap<>();
    for (String className : classNames()) {
      Class<?> type = Class.forName(className, false, StatementCacheTest.class.getClassLoader());
      for (Field field : type.getDeclaredFields()) {
        int mods = field.getModifiers();
        if (field.getType() != String.class || !Modifier.isStatic(mods) || !Modifier.isFinal(mods)) continue;
        field.setAccessible(true);
        String value = (String) field.get(null);
        if (value != null && SQL.matcher(value).matches()) found.put(type.getSimpleName() + "." + field.getName(), value.length());
      }
    }
    return found;
  }

  private static List<String> classNames() throws IOException {
    try (Stream<Path> files = Files.walk(CLASSES)) {
      List<String> names = new ArrayList<>();
      files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$"))
          .forEach(f -> names.add(CLASSES.relativize(f).toString().replace(f.getFileSystem().getSeparator(), ".")
              .replaceAll("\\.class$", "")));
      return names;
    }
  }
}
