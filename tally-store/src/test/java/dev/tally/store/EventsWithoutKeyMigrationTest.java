package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.api.Event;
import dev.tally.api.IngestResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store made before the events table lost its primary key (schema version 1) opens with its events kept, in their
 * order, and exactly once still holds: the stored event counts as a duplicate when it comes again.
 */
class EventsWithoutKeyMigrationTest {
  @TempDir Path dir;

  @Test
  void aVersionOneStoreKeepsItsEventsAndStillCountsThemOnce() throws Exception {
    // A version-1 store, written as that version wrote it: its schema only, and two events under the key.
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve(TallyStore.DB_FILE))) {
      Migrations.apply(c, Clock.systemUTC(), "events", "/dev/tally/store/migrations",
          List.of("V1__events_and_meters.sql"), TallyStore.class);
      try (Statement st = c.createStatement()) {
        st.execute("INSERT INTO tenants VALUES ('acme', now())");
        st.execute("INSERT INTO events VALUES "
            + "('acme', 'src', 'a', 1, 'calls', 's1', '2024-01-01T00:00:00Z', now(), '{}', NULL, NULL), "
            + "('acme', 'src', 'b', 2, 'calls', 's1', '2024-01-01T00:00:01Z', now(), '{}', NULL, NULL)");
      }
    }
    try (TallyStore store = TallyStore.open(dir, Clock.systemUTC())) {
      long keys = store.read(c -> {
        try (Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'events' "
                + "AND constraint_type = 'PRIMARY KEY'")) {
          rs.next();
          return rs.getLong(1);
        }
      });
      assertThat(keys).as("primary keys on events").isZero();
      List<String> ids = store.read(c -> {
        List<String> out = new java.util.ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM events ORDER BY seq")) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
        return out;
      });
      assertThat(ids).containsExactly("a", "b");
      IngestResult again = store.ingestor().ingest("acme", List.of(
          Event.of("b", "src", "calls", "s1", Instant.parse("2024-01-01T00:00:01Z"), "{}"),
          Event.of("c", "src", "calls", "s1", Instant.parse("2024-01-01T00:00:02Z"), "{}")), Instant.now());
      assertThat(again.stored()).isEqualTo(1);
      assertThat(again.duplicates()).isEqualTo(1);
    }
  }
}
