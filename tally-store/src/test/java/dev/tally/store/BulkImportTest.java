package dev.tally.store;

import static dev.tally.store.Fixtures.meter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.Aggregation;
import dev.tally.api.Event;
import dev.tally.api.IngestResult;
import dev.tally.api.Meter;
import dev.tally.api.TallyException;
import dev.tally.core.events.DecodedEvent;
import dev.tally.core.events.EventDecoder;
import dev.tally.core.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The file import's one-pass SQL path: taken for clean files, declined for anything the exact decoder must judge, and
 * never storing or refusing anything the decoder would not (the decoder is the oracle, line by line).
 */
class BulkImportTest extends ImportTestBase {
  @Override
  List<Meter> meters() {
    return List.of(
        meter("tokens", "ai", Aggregation.SUM, "$.tokens", Map.of()),
        meter("latest", "ai", Aggregation.LATEST, "$.tokens", Map.of()));
  }

  private static String line(String id, String time, Object tokens) {
    return aiLine(id, time, "{\"tokens\":" + tokens + "}");
  }

  private BigDecimal figure(String meter) {
    return figure(meter, "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
  }

  @Test
  void aCleanFileTakesTheBulkPathAndAgainCountsOnlyDuplicates() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      lines.add(line("e" + i, "2024-01-01T00:00:00Z", i));
    }
    Path f = write("a.ndjson", lines);
    EventImporter.Report r = importFile(f);
    assertThat(r.bulk()).isTrue();
    assertThat(r.result()).isEqualTo(new IngestResult(500, 500, 0, 0));
    assertThat(figure("tokens")).isEqualByComparingTo("124750");
    EventImporter.Report again = importFile(f);
    assertThat(again.bulk()).isTrue();
    assertThat(again.result()).isEqualTo(new IngestResult(500, 0, 500, 0));
    assertThat(figure("tokens")).isEqualByComparingTo("124750");
  }

  @Test
  void fileOrderDecidesRepeatsWithinAFileAndLatestTies() throws IOException {
    // Same id twice: the first line is the one stored. Same time: LATEST takes the later line, by ingestion order.
    Path f = write("order.ndjson", List.of(line("a", "2024-01-01T00:00:00Z", 5), line("a", "2024-01-01T00:00:00Z", 7),
        line("b", "2024-02-01T00:00:00Z", 1), line("c", "2024-02-01T00:00:00Z", 2),
        line("d", "2024-02-01T00:00:00Z", 3)));
    EventImporter.Report r = importFile(f);
    assertThat(r.bulk()).isTrue();
    assertThat(r.result()).isEqualTo(new IngestResult(5, 4, 1, 0));
    assertThat(figure("tokens")).isEqualByComparingTo("11");
    assertThat(figure("latest")).isEqualByComparingTo("3");
  }

  @Test
  void gzipAndCsvAndParquetTakeTheBulkPath() throws Exception {
    Path gz = dir.resolve("b.ndjson.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write((line("g1", "2024-01-01T00:00:00Z", 4) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    assertThat(importFile(gz).bulk()).isTrue();
    Path csv = write("usage.csv", List.of("request_id,customer,at,tokens", "r1,acme,2024-01-01T10:00:00Z,5",
        "r2,acme,2024-01-01T11:00:00+02:00,2.5"));
    EventImporter.Options mapped = new EventImporter.Options("default", EventImporter.Format.AUTO,
        Map.of("id", "request_id", "source", "'crm'", "type", "'ai'", "subject", "customer", "time", "at"), false,
        Optional.empty(), Optional.empty());
    EventImporter.Report r = store.importer().importFile(csv, mapped);
    assertThat(r.bulk()).isTrue();
    assertThat(r.result()).isEqualTo(new IngestResult(2, 2, 0, 0));
    Path parquet = dir.resolve("usage.parquet");
    store.read(c -> {
      c.createStatement().execute("COPY (SELECT 'p' || i AS request_id, 'cust' AS customer, TIMESTAMPTZ "
          + "'2024-01-01 00:00:00+00' + INTERVAL (i) HOUR AS at, (i * 1.5)::DECIMAL(10,2) AS tokens FROM range(1, 5) "
          + "t(i)) TO '" + parquet + "' (FORMAT parquet)");
      return null;
    });
    EventImporter.Report p = store.importer().importFile(parquet, mapped);
    assertThat(p.bulk()).isTrue();
    assertThat(p.result()).isEqualTo(new IngestResult(4, 4, 0, 0));
    assertThat(figure("tokens")).isEqualByComparingTo("26.5");
  }

  @Test
  void aBadLineSendsTheFileToTheExactPathWhichNamesTheLine() throws IOException {
    Path f = write("bad.ndjson", List.of(line("1", "2024-01-01T00:00:00Z", 5), line("2", "last tuesday", 7)));
    EventImporter.Report r = importFile(f);
    assertThat(r.bulk()).isFalse();
    assertThat(r.committed()).isFalse();
    assertThat(r.problems()).singleElement().satisfies(p -> {
      assertThat(p.line()).hasValue(2);
      assertThat(p.field()).isEqualTo("time");
    });
    Path misfit = write("misfit.ndjson", List.of(line("1", "2024-01-01T00:00:00Z", 5),
        line("2", "2024-01-01T00:00:00Z", "\"many\"")));
    EventImporter.Report m = importFile(misfit);
    assertThat(m.bulk()).isFalse();
    assertThat(m.problems()).hasSize(2).allSatisfy(p -> {
      assertThat(p.line()).hasValue(2);
      assertThat(p.field()).isEqualTo("data.tokens");
    });
    assertThat(figure("tokens")).isEqualByComparingTo("0");
  }

  @Test
  void skippedRowsLeaveNoValueInAnyMeter() throws IOException {
    store.meters().apply("default", List.of(meter("tokens", "ai", Aggregation.SUM, "$.tokens", Map.of()),
        meter("count", "ai", Aggregation.COUNT, null, Map.of())), false);
    Path f = write("mixed.ndjson", List.of(line("1", "2024-01-01T00:00:00Z", 5),
        line("2", "2024-01-01T00:00:00Z", "\"x\""), line("3", "2024-01-01T00:00:00Z", 2)));
    EventImporter.Report r = store.importer().importFile(f, new EventImporter.Options("default",
        EventImporter.Format.AUTO, Map.of(), true, Optional.empty(), Optional.empty()));
    assertThat(r.result()).isEqualTo(new IngestResult(3, 2, 0, 1));
    assertThat(figure("tokens")).isEqualByComparingTo("7");
    // The refused event fits the COUNT meter, but it was not stored, so it is not counted.
    assertThat(figure("count")).isEqualByComparingTo("2");
  }

  /**
   * Every line here is stored or refused by the importer exactly as the decoder judges it alone, and a stored event
   * is the decoder's event: same attributes, same instant, the same data as JSON values. Lines near the rules' edges
   * (kinds, blanks, lengths, time spellings, sizes, Unicode) are each imported after a clean line, so that the file
   * would take the bulk path if its checks let the line through.
   */
  @Test
  void theBulkPathNeverJudgesALineOtherwiseThanTheDecoder() throws Exception {
    String ok = "\"specversion\":\"1.0\",\"source\":\"s\",\"type\":\"ai\",\"subject\":\"x\"";
    List<String> cases = List.of(
        "{" + ok + ",\"id\":\"k1\",\"time\":\"2024-01-01T10:00:00Z\",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"k2\",\"time\":\"2024-01-01T10:00:00.123456789Z\",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"k3\",\"time\":\"2024-01-01t10:00:00z\",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"k4\",\"time\":\"2024-01-01T10:00:00+05:30\",\"data\":{\"tokens\":1.50}}",
        "{" + ok + ",\"id\":\"k5\",\"time\":\"2024-02-30T10:00:00Z\",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"k6\",\"time\":\"2024-01-01T24:00:00Z\",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"k7\",\"time\":\"0000-01-01T00:00:00Z\",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"k8\",\"time\":\"2024-01-01T10:00:00\",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"k9\",\"time\":null,\"data\":null}",
        "{" + ok + ",\"id\":\"k10\"}",
        "{" + ok + ",\"id\":10,\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"  \",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"\\u00a0\\u2003\",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"\u00e9t\u00e9\",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"" + "i".repeat(1025) + "\",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"" + "i".repeat(1024) + "\",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"k11\",\"data\":[1,2]}",
        "{" + ok + ",\"id\":\"k12\",\"data\":\"text\"}",
        "{" + ok + ",\"id\":\"k13\",\"data\":{\"tokens\":1,\"pad\":\"" + "p".repeat(70_000) + "\"}}",
        "{" + ok + ",\"id\":\"k14\",\"ext\":\"" + " ".repeat(66_000) + "\",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"k15\",\"id\":\"k16\",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"k17\",\"data\":{\"tokens\":1}} {\"id\":\"k18\"}",
        "{\"specversion\":\"0.3\",\"source\":\"s\",\"type\":\"ai\",\"subject\":\"x\",\"id\":\"k19\"}",
        "{\"specversion\":1.0,\"source\":\"s\",\"type\":\"ai\",\"subject\":\"x\",\"id\":\"k20\"}",
        "{" + ok + ",\"id\":\"k21\",\"datacontenttype\":5,\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"k22\",\"datacontenttype\":\"application/json\",\"dataschema\":\"urn:x\","
            + "\"data\":{\"tokens\":2,\"nested\":{\"a\":[1,{\"b\":null}]},\"s\":\"\\ud83d\\ude00\"}}",
        "{" + ok + ",\"id\":\"k23\",\"data\":{\"tokens\":1,\"s\":\"\\ud800\"}}",
        "{" + ok + ",\"id\":\"k24\",\"data\":{\"tokens\":1e3}}",
        "{" + ok + ",\"id\":\"k25\\u0001\",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"k26\",\"datacontenttype\":\"text\\u0007\",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"k27\",\"data\":{\"tokens\":1,\"s\":\"\\udc00\"}}",
        "{" + ok + ",\"id\":\"k28\",\"data\":{\"tokens\":12345678901234567890.123456789}}",
        "{" + ok + ",\"id\":\"k29\",\"data\":{\"tokens\":1,\"big\":1e400}}",
        "{" + ok + ",\"id\":\"k30\",\"data\":{\"tokens\":1,\"ns\":1700000000000000000}}",
        "{" + ok + ",\"id\":\"k31\",\"data\":{\"tokens\":0.000001}}",
        "{" + ok + ",\"id\":\"k32\",\"data\":" + "{\"a\":".repeat(32) + "1" + "}".repeat(32) + "}",
        "{" + ok + ",\"id\":\"k33\",\"data\":" + "{\"a\":".repeat(31) + "1" + "}".repeat(31) + "}",
        "{" + ok + ",\"id\":\"k34\",\"time\":\"0001-01-01T00:30:00+01:00\",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"k35\",\"time\":\"9999-12-31T23:59:59.999999Z\",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"k36\",\"time\":\" 2024-01-01T10:00:00Z\",\"data\":{\"tokens\":1}}",
        "{" + ok + ",\"id\":\"k37\",\"data\":{\"tokens\":1,\"list\":[1,[2,[3]]],\"u\":\"uuid-3e4a-9e8f\"}}");
    int n = 0;
    for (String c : cases) {
      n++;
      String tenant = "t" + n;
      store.meters().apply(tenant, List.of(meter("tokens", "ai", Aggregation.COUNT, null, Map.of())), false);
      Path f = write("case" + n + ".ndjson", List.of(
          "{" + ok + ",\"id\":\"clean\",\"time\":\"2024-01-01T00:00:00Z\",\"data\":{\"tokens\":1}}", c));
      DecodedEvent expected = EventDecoder.decode(c);
      EventImporter.Report r = store.importer().importFile(f, EventImporter.Options.of(tenant));
      assertThat(r.committed()).as("case %d: %s", n, abbreviate(c)).isEqualTo(expected.isValid());
      if (expected.isValid()) {
        Event want = expected.event().orElseThrow();
        assertThat(storedEvent(tenant, want.source(), want.id())).as("case %d stored", n).hasValueSatisfying(row -> {
          assertThat(row.get(0)).isEqualTo(want.type());
          assertThat(row.get(1)).isEqualTo(want.subject());
          assertThat(Instant.parse(row.get(2)))
              .isEqualTo(want.time().map(t -> t.truncatedTo(java.time.temporal.ChronoUnit.MICROS))
                  .orElse(Instant.parse("2024-06-01T00:00:00Z")));
          assertThat(sameJson(row.get(3), want.data())).as("data %s vs %s", row.get(3), want.data()).isTrue();
          assertThat(Optional.ofNullable(row.get(4))).isEqualTo(want.datacontenttype());
          assertThat(Optional.ofNullable(row.get(5))).isEqualTo(want.dataschema());
        });
      }
    }
  }

  private Optional<List<String>> storedEvent(String tenant, String source, String id) {
    return store.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT type, subject, strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ'), "
          + "data::VARCHAR, datacontenttype, dataschema FROM events WHERE tenant = ? AND source = ? AND id = ?")) {
        ps.setString(1, tenant);
        ps.setString(2, source);
        ps.setString(3, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= 6; i++) {
            row.add(rs.getString(i));
          }
          return Optional.of(row);
        }
      }
    });
  }

  /** The same JSON values; numbers compared by value (the reader writes 1.50 as 1.5, 1e3 as 1000.0). */
  private static boolean sameJson(String a, String b) {
    JsonNode x;
    JsonNode y;
    try {
      x = Json.json().readTree(a);
      y = Json.json().readTree(b);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Comparator<JsonNode> numbers = (p, q) -> p.isNumber() && q.isNumber()
        ? p.decimalValue().compareTo(q.decimalValue()) : (p.equals(q) ? 0 : 1);
    return x.equals(numbers, y);
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  @Test
  void memoryLimitAndTempDirectoryAreSetAndChecked() {
    Path other = dir.resolve("limited");
    try (TallyStore limited = TallyStore.open(other, new TestingClock(Instant.parse("2024-06-01T00:00:00Z")),
        new TallyStore.Limits("1GiB", other.resolve("spill")))) {
      assertThat(limited.memoryLimit()).isEqualTo("1.0 GiB");
      String temp = limited.read(c -> {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT current_setting('temp_directory')")) {
          rs.next();
          return rs.getString(1);
        }
      });
      assertThat(temp).isEqualTo(other.resolve("spill").toAbsolutePath().toString());
    }
    assertThat(store.memoryLimit()).isEqualTo("3.7 GiB");
    assertThatThrownBy(() -> new TallyStore.Limits("lots", other))
        .isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.problems().get(0).field())
            .isEqualTo("memory limit"));
  }
}
