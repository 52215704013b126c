package dev.tally.store;

import static dev.tally.store.Fixtures.query;

import dev.tally.api.Meter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of the file-import tests: a real store in {@code dir/data} on 1 June 2024 whose tenant {@code default}
 * has the meters the test names, opened before each test and closed after it; the files to import go beside it.
 */
abstract class ImportTestBase {
  static final String TENANT = "default";

  @TempDir Path dir;
  TallyStore store;

  /** The meters of tenant {@code default}, every event of type {@code ai}. */
  abstract List<Meter> meters();

  @BeforeEach
  void openStore() {
    store = TallyStore.open(dir.resolve("data"), new TestingClock(Instant.parse("2024-06-01T00:00:00Z")));
    store.meters().apply(TENANT, meters(), false);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  /** An {@code ai} CloudEvent of subject {@code x} as one NDJSON line. */
  static String aiLine(String id, String time, String data) {
    return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"s\",\"type\":\"ai\",\"subject\":\"x\","
        + "\"time\":\"" + time + "\",\"data\":" + data + "}";
  }

  /** A file of these lines, each ending with a newline, beside the store. */
  Path write(String name, List<String> lines) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return f;
  }

  EventImporter.Report importFile(Path f) {
    return store.importer().importFile(f, EventImporter.Options.of(TENANT));
  }

  /** A meter's figure over {@code [from, to)}, zero when nothing is stored. */
  BigDecimal figure(String meter, String from, String to) {
    var rows = store.queries().query(TENANT, query(meter, from, to)).data();
    return rows.isEmpty() ? BigDecimal.ZERO : rows.get(0).value();
  }
}
