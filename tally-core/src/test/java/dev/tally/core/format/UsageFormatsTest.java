package dev.tally.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.api.UsageResult;
import dev.tally.api.UsageRow;
import dev.tally.api.WindowSize;
import dev.tally.core.json.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UsageFormatsTest {
  private static final Instant A = Instant.parse("2024-01-01T00:00:00Z");
  private static final Instant B = Instant.parse("2024-01-02T00:00:00Z");
  private static final UsageResult RESULT = new UsageResult(A, B, Optional.of(WindowSize.DAY), List.of(
      new UsageRow(new BigDecimal("12.500000000"), A, B, Optional.of("acme, inc."), Map.of("model", "gpt \"4\"")),
      new UsageRow(new BigDecimal("1E+3"), A, B, Optional.empty(), Map.of())));

  @Test
  void jsonHasOpenMetersShape() throws Exception {
    JsonNode n = Json.json().readTree(UsageFormats.json(RESULT));
    assertThat(n.get("windowSize").asText()).isEqualTo("DAY");
    assertThat(n.get("from").asText()).isEqualTo("2024-01-01T00:00:00Z");
    JsonNode row = n.get("data").get(0);
    assertThat(row.get("value").decimalValue()).isEqualByComparingTo("12.5");
    assertThat(row.get("value").toString()).isEqualTo("12.5");
    assertThat(row.get("subject").asText()).isEqualTo("acme, inc.");
    assertThat(row.get("groupBy").get("model").asText()).isEqualTo("gpt \"4\"");
    assertThat(n.get("data").get(1).get("subject").isNull()).isTrue();
    assertThat(n.get("data").get(1).get("value").toString()).isEqualTo("1000");
  }

  @Test
  void csvQuotesWhatNeedsQuoting() {
    assertThat(UsageFormats.csv(RESULT)).isEqualTo(
        "windowStart,windowEnd,subject,model,value\r\n"
            + "2024-01-01T00:00:00Z,2024-01-02T00:00:00Z,\"acme, inc.\",\"gpt \"\"4\"\"\",12.5\r\n"
            + "2024-01-01T00:00:00Z,2024-01-02T00:00:00Z,,,1000\r\n");
  }

  @Test
  void tableAlignsAndCounts() {
    String t = UsageFormats.table(RESULT);
    assertThat(t).contains("(2 rows)").contains("  12.5\n").contains("  1000\n");
  }
}
