package dev.tally.store.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.store.TallyStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migration's table and the Java catalogue of FOCUS columns agree, column for column and type for type. */
class CostSchemaTest {
  @TempDir Path dir;

  @Test
  void everyFocusColumnIsStoredUnderItsNameAndType() {
    try (TallyStore store = TallyStore.open(dir, Clock.systemUTC())) {
      CostStore.on(store);
      CostStore.on(store); // applying the track again is a no-op
      Map<String, String> stored = store.read(c -> {
        Map<String, String> out = new LinkedHashMap<>();
        try (var st = c.createStatement(); var rs = st.executeQuery(
            "SELECT column_name, column_type FROM (DESCRIBE cost_charges)")) {
          while (rs.next()) {
            out.put(rs.getString(1), rs.getString(2));
          }
        }
        return out;
      });
      Map<String, String> expected = new LinkedHashMap<>();
      expected.put("tenant", "VARCHAR");
      expected.put("import_id", "BIGINT");
      expected.put("source_row", "BIGINT");
      FocusColumn.ALL.forEach(c -> expected.put(c.name(), c.type().sql()));
      expected.put("x_Extra", "JSON");
      assertThat(stored.keySet()).containsExactlyElementsOf(expected.keySet());
      // DESCRIBE spells TIMESTAMPTZ out in full.
      expected.forEach((name, type) -> assertThat(stored.get(name).replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"))
          .as(name).isEqualTo(type));
      assertThat(FocusColumn.ALL).hasSize(57);
      assertThat(FocusColumn.ALL.stream().filter(c -> c.since().equals("1.0"))).hasSize(43);
    }
  }
}
