package dev.tally.store;

import static dev.tally.store.Fixtures.meter;
import static dev.tally.store.Fixtures.query;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.api.Aggregation;
import dev.tally.api.Event;
import dev.tally.api.UsageRow;
import dev.tally.core.events.DecodedEvent;
import dev.tally.core.events.EventDecoder;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two places that judge a meter value, Java before a batch joins a commit (MeterValues) and SQL inside the commit
 * (MeterSql.valid), agree on every value, and every value they accept is stored to its last digit.
 */
class MeterValueRulesTest {
  @TempDir Path dir;
  TallyStore store;

  @BeforeEach
  void open() {
    store = TallyStore.open(dir, Clock.systemUTC());
    store.meters().apply("t", List.of(meter("sum", "v", Aggregation.SUM, "$.v", Map.of()),
        meter("uniq", "u", Aggregation.UNIQUE_COUNT, "$.v", Map.of())), false);
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** Values as they appear in JSON, with the exact number each stands for when it must be accepted (else null). */
  private static final Object[][] CASES = {
      {"1", "1"}, {"0.1", "0.1"}, {"-0.5", "-0.5"}, {"1200", "1200"}, {"9223372036854775807", "9223372036854775807"},
      {"18446744073709551615", "18446744073709551615"}, {"1e20", "100000000000000000000"}, {"1.5e3", "1500"},
      {"1e-9", "0.000000001"}, {"1e-10", null}, {"1e-20", null}, {"0.1234567891", null}, {"1e30", null},
      {"123456789012345.5", "123456789012345.5"},
      {"\"12345678901234567890.123456789\"", "12345678901234567890.123456789"},
      {"\"99999999999999999999999999999.999999999\"", "99999999999999999999999999999.999999999"},
      {"\"100000000000000000000000000000\"", null}, {"\"0.0000000001\"", null}, {"\"5.100000000000\"", "5.1"},
      {"\"-000012.50\"", "-12.5"}, {"\"+7\"", "7"}, {"\"1e5\"", null}, {"\"1e-400\"", null}, {"\" 12\"", null},
      {"\"12 \"", null}, {"\"\"", null}, {"\"abc\"", null}, {"\".5\"", null}, {"\"5.\"", "5"}, {"true", null},
      {"null", null}, {"{}", null}, {"[1]", null}, {"\"NaN\"", null}, {"\"Infinity\"", null},
      {"\"100000000000000000000\"", "100000000000000000000"}, {"-0", "0"}, {"0.30000000000000004", null}};

  @Test
  void javaAndSqlJudgeEveryValueAlikeAndKeepEveryDigit() {
    Instant at = Instant.parse("2024-01-01T00:00:00Z");
    int n = 0;
    for (Object[] c : CASES) {
      String json = (String) c[0];
      DecodedEvent d = EventDecoder.decode("{\"specversion\":\"1.0\",\"id\":\"e" + n + "\",\"source\":\"s\","
          + "\"type\":\"v\",\"subject\":\"s" + n + "\",\"time\":\"2024-01-01T00:00:00Z\",\"data\":{\"v\":" + json + "}}");
      n++;
      if (!d.isValid()) {
        // Refused at the door (a number the store could not read back exactly): it must be one to refuse.
        assertThat(c[1]).as("%s refused by the decoder: %s", json, d.problems()).isNull();
        continue;
      }
      Event e = d.event().orElseThrow();
      EventIngestor.Batch batch = new EventIngestor.Batch("t", List.of(e), at);
      boolean java = store.ingestor().check(batch).isEmpty();
      boolean sql = store.ingestor().ingestAll(List.of(batch)).get(0).accepted();
      assertThat(java).as("Java accepts %s", json).isEqualTo(c[1] != null);
      assertThat(sql).as("SQL accepts %s", json).isEqualTo(java);
      if (c[1] != null) {
        UsageRow row = store.queries().query("t", Fixtures.with(query("sum", "2024-01-01T00:00:00Z",
            "2024-01-02T00:00:00Z"), List.of(e.subject()), List.of(), Map.of())).data().get(0);
        assertThat(row.value()).as(json).isEqualByComparingTo(new BigDecimal((String) c[1]));
      }
    }
  }
}
