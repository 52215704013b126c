package dev.tally.store;

import static dev.tally.store.Fixtures.meter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.Aggregation;
import dev.tally.api.IngestResult;
import dev.tally.api.Meter;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** File imports on a real store: NDJSON, JSON arrays, gzip, CSV and Parquet, all or nothing per file. */
class EventImporterTest extends ImportTestBase {
  @Override
  List<Meter> meters() {
    return List.of(
        meter("tokens", "ai", Aggregation.SUM, "$.tokens", Map.of()),
        meter("events", "ai", Aggregation.COUNT, null, Map.of()));
  }

  private static String line(String id, Object tokens) {
    return aiLine(id, "2024-01-01T00:00:00Z", "{\"tokens\":" + tokens + "}");
  }

  private Path write(String name, String... lines) throws IOException {
    return write(name, List.of(lines));
  }

  private BigDecimal tokens() {
    return figure("tokens", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z");
  }

  @Test
  void importsNdjsonAndReimportIsANoOp() throws IOException {
    Path f = write("a.ndjson", line("1", 5), "", line("2", 7));
    EventImporter.Report r = importFile(f);
    assertThat(r.result()).isEqualTo(new IngestResult(2, 2, 0, 0));
    assertThat(r.committed()).isTrue();
    assertThat(importFile(f).result()).isEqualTo(new IngestResult(2, 0, 2, 0));
    assertThat(tokens()).isEqualByComparingTo("12");
  }

  @Test
  void duplicatesAcrossFilesCountOnce() throws IOException {
    importFile(write("a.ndjson", line("1", 5), line("2", 7)));
    EventImporter.Report r = importFile(write("b.ndjson", line("2", 7), line("3", 1)));
    assertThat(r.result()).isEqualTo(new IngestResult(2, 1, 1, 0));
    assertThat(tokens()).isEqualByComparingTo("13");
  }

  @Test
  void aFileWithOneBadRowStoresNothingAndNamesTheLine() throws IOException {
    Path f = write("bad.ndjson", line("1", 5), line("2", 7), "{\"id\": \"3\"", line("4", "\"many\""), line("5", 1));
    EventImporter.Report r = importFile(f);
    assertThat(r.committed()).isFalse();
    assertThat(r.result().stored()).isZero();
    assertThat(r.problems()).extracting(p -> p.line().getAsLong()).containsExactly(3L, 4L);
    assertThat(r.problems().get(0).message()).contains("not valid JSON");
    assertThat(r.problems().get(1).field()).isEqualTo("data.tokens");
    assertThat(tokens()).isEqualByComparingTo("0");
    // The good events were not marked seen: after fixing the file they are stored.
    assertThat(importFile(write("fixed.ndjson", line("1", 5), line("2", 7))).result().stored()).isEqualTo(2);
  }

  @Test
  void skipInvalidStoresTheRestAndWritesTheRejects() throws IOException {
    Path f = write("mixed.ndjson", line("1", 5), "not json", line("3", "\"x\""), line("4", 2));
    EventImporter.Report r = store.importer().importFile(f,
        new EventImporter.Options("default", EventImporter.Format.AUTO, Map.of(), true, Optional.empty(),
            Optional.empty()));
    assertThat(r.result()).isEqualTo(new IngestResult(4, 2, 0, 2));
    assertThat(r.rejectsFile()).contains(dir.resolve("mixed.ndjson.rejected.ndjson"));
    List<String> rejected = Files.readAllLines(r.rejectsFile().orElseThrow());
    assertThat(rejected).hasSize(2);
    assertThat(rejected.get(0)).contains("\"line\":2").contains("not valid JSON").contains("\"raw\":\"not json\"");
    assertThat(rejected.get(1)).contains("\"line\":3").contains("data.tokens");
    assertThat(tokens()).isEqualByComparingTo("7");
  }

  @Test
  void importsJsonArraysAndGzip() throws IOException {
    Path arr = dir.resolve("a.json");
    Files.writeString(arr, "[\n" + line("1", 1) + ",\n" + line("2", 2) + "\n]");
    assertThat(importFile(arr).result()).isEqualTo(new IngestResult(2, 2, 0, 0));
    Path gz = dir.resolve("b.ndjson.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write((line("3", 4) + "\n" + line("4", 8) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    assertThat(importFile(gz).result()).isEqualTo(new IngestResult(2, 2, 0, 0));
    assertThat(tokens()).isEqualByComparingTo("15");
  }

  @Test
  void aBadEventInAJsonArrayIsNamedByLine() throws IOException {
    Path arr = dir.resolve("a.json");
    Files.writeString(arr, "[\n" + line("1", 1) + ",\n" + line("2", 2).replace("\"subject\":\"x\",", "") + "\n]");
    EventImporter.Report r = importFile(arr);
    assertThat(r.committed()).isFalse();
    assertThat(r.problems()).singleElement().satisfies(p -> {
      assertThat(p.line()).hasValue(3);
      assertThat(p.field()).isEqualTo("subject");
    });
  }

  @Test
  void importsCsvWithAMapping() throws IOException {
    Path csv = write("usage.csv",
        "request_id,customer,at,tokens,model",
        "r1,acme,2024-01-01T10:00:00Z,5,\"gpt, large\"",
        "r2,acme,2024-01-01T11:00:00Z,2.5,small");
    EventImporter.Report r = store.importer().importFile(csv, new EventImporter.Options("default",
        EventImporter.Format.AUTO, Map.of("id", "request_id", "source", "'crm'", "type", "'ai'", "subject", "customer",
            "time", "at"), false, Optional.empty(), Optional.empty()));
    assertThat(r.result()).isEqualTo(new IngestResult(2, 2, 0, 0));
    assertThat(tokens()).isEqualByComparingTo("7.5");
  }

  @Test
  void csvProblemsNameTheLineAndMissingMappings() throws IOException {
    Path csv = write("usage.csv", "request_id,customer,at,tokens", "r1,acme,2024-01-01T10:00:00Z,5",
        "r2,acme,last tuesday,5");
    EventImporter.Options opts = new EventImporter.Options("default", EventImporter.Format.CSV,
        Map.of("id", "request_id", "source", "'crm'", "type", "'ai'", "subject", "customer", "time", "at"), false,
        Optional.empty(), Optional.empty());
    EventImporter.Report r = store.importer().importFile(csv, opts);
    assertThat(r.committed()).isFalse();
    assertThat(r.problems()).singleElement().satisfies(p -> {
      assertThat(p.line()).hasValue(3);
      assertThat(p.field()).isEqualTo("time");
    });
    assertThatThrownBy(() -> store.importer().importFile(csv, new EventImporter.Options("default",
        EventImporter.Format.CSV, Map.of("id", "nope", "colour", "x"), false, Optional.empty(), Optional.empty())))
        .isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.problems()).extracting(Problem::field)
            .contains("mapping.colour", "mapping.source", "mapping.type", "mapping.subject"));
  }

  @Test
  void importsParquetWithTypedColumns() throws Exception {
    Path parquet = dir.resolve("usage.parquet");
    store.read(c -> {
      try (Statement st = c.createStatement()) {
        st.execute("COPY (SELECT 'p' || i AS id, 'cust' AS subject, TIMESTAMPTZ '2024-01-01 00:00:00+00' "
            + "+ INTERVAL (i) HOUR AS at, (i * 1.5)::DECIMAL(10,2) AS tokens FROM range(1, 5) t(i)) TO '"
            + parquet + "' (FORMAT parquet)");
      }
      return null;
    });
    EventImporter.Report r = store.importer().importFile(parquet, new EventImporter.Options("default",
        EventImporter.Format.AUTO, Map.of("id", "id", "source", "'pq'", "type", "'ai'", "subject", "subject",
            "time", "at"), false, Optional.empty(), Optional.empty()));
    assertThat(r.result()).isEqualTo(new IngestResult(4, 4, 0, 0));
    assertThat(tokens()).isEqualByComparingTo("15");
  }

  @Test
  void aMissingFileIsAClearError() {
    assertThatThrownBy(() -> importFile(dir.resolve("nope.ndjson"))).hasMessageContaining("does not exist");
  }
}
