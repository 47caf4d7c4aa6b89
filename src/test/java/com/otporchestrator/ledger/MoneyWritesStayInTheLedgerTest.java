package com.otporchestrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The ledger room ({@code com.otporchestrator.ledger}) is the only code that writes ledger entries or wallets: every
 * other package appends its posting fragments. Scans the sources as text, the way a reader searches them.
 */
@DisplayName("Money is written in the ledger room only")
class MoneyWritesStayInTheLedgerTest {
  private static final Path MAIN = Path.of("src", "main");
  private static final Path ROOM = MAIN.resolve(Path.of("java", "com", "otporchestrator", "ledger"));
  /** The schema defines the tables; it is not code that moves money. */
  private static final Path MIGRATIONS = MAIN.resolve(Path.of("resources", "db", "migration"));

  /** Any SQL write to the two money tables, however it is spaced, cased, quoted or qualified. */
  private static final Pattern MONEY_WRITE = Pattern.compile(
      "\\b(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|TRUNCATE(?:\\s+TABLE)?|MERGE\\s+INTO|COPY)\\s+(?:ONLY\\s+)?"
          + "(?:\"?public\"?\\.)?\"?(ledger_entries|wallets)\\b",
      Pattern.CASE_INSENSITIVE);

  @Test
  @DisplayName("no source outside the ledger room writes ledger_entries or wallets")
  void noWriteOutsideTheRoom() {
    List<String> outside = new ArrayList<>();
    for (Path file : sources()) {
      if (!file.startsWith(ROOM) && !file.startsWith(MIGRATIONS)) outside.addAll(writesIn(file));
    }
    assertThat(outside).as("money writes outside %s: append a posting fragment of ledger.Postings instead", ROOM)
        .isEmpty();
  }

  @Test
  @DisplayName("the scan finds the writes the ledger room does hold, so it can find them anywhere")
  void findsTheRoomsOwnWrites() {
    List<String> inRoom = sources().stream().filter(f -> f.startsWith(ROOM)).flatMap(f -> writesIn(f).stream()).toList();
    assertThat(inRoom).anyMatch(w -> w.contains("INSERT INTO ledger_entries"))
        .anyMatch(w -> w.contains("UPDATE wallets")).anyMatch(w -> w.contains("INSERT INTO wallets"));
  }

  @Test
  @DisplayName("a write is recognised however it is spelled, and a read or a lock is not a write")
  void recognisesWritesNotReads() {
    assertThat(List.of("insert into ledger_entries (account_id) values (1)", "UPDATE\n        wallets w SET balance = 0",
        "DELETE FROM public.wallets", "TRUNCATE TABLE \"ledger_entries\"", "update only wallets set held = 0",
        "INSERT INTO \"wallets\"(account_id)", "MERGE INTO wallets w USING x ON true"))
        .allSatisfy(sql -> assertThat(MONEY_WRITE.matcher(sql).find()).as(sql).isTrue());
    assertThat(List.of("SELECT balance FROM wallets WHERE account_id = $1 FOR UPDATE", "JOIN wallets w ON w.account_id = a.id",
        "FOR UPDATE OF w", "SELECT 1 FROM ledger_entries l WHERE l.kind = 'capture'", "INSERT INTO wallets_archive",
        "ON CONFLICT (reference) WHERE kind = 'deposit' DO UPDATE SET note = 'x'"))
        .allSatisfy(sql -> assertThat(MONEY_WRITE.matcher(sql).find()).as(sql).isFalse());
  }

  private static List<Path> sources() {
    try (Stream<Path> files = Files.walk(MAIN)) {
      List<Path> list = files.filter(Files::isRegularFile).toList();
      assertThat(list).as("sources under %s", MAIN.toAbsolutePath()).isNotEmpty();
      return list;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Each write in the file as "path:line: the write". */
  private static List<String> writesIn(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      return List.of(); // not text (an image, a binary resource): cannot hold SQL
    }
    List<String> writes = new ArrayList<>();
    Matcher m = MONEY_WRITE.matcher(text);
    while (m.find()) {
      long line = text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
      writes.add(file + ":" + line + ": " + m.group().replaceAll("\\s+", " "));
    }
    return writes;
  }
}
