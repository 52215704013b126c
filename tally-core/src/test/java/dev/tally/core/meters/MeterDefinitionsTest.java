package dev.tally.core.meters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.list;

import dev.tally.api.Aggregation;
import dev.tally.api.Meter;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeterDefinitionsTest {
  @Test
  void readsYaml() {
    List<Meter> meters = MeterDefinitions.parseFile("""
        meters:
          - slug: tokens
            description: AI tokens
            eventType: ai.tokens
            aggregation: sum
            valueProperty: $.tokens
            groupBy:
              model: $.model
              direction: $.direction
            eventFrom: 2024-01-01T00:00:00Z
          - slug: requests
            eventType: api.request
            aggregation: COUNT
        """, "meters.yaml");
    assertThat(meters).hasSize(2);
    Meter m = meters.get(0);
    assertThat(m.aggregation()).isEqualTo(Aggregation.SUM);
    assertThat(m.groupBy()).containsExactly(
        java.util.Map.entry("model", "$.model"), java.util.Map.entry("direction", "$.direction"));
    assertThat(m.eventFrom()).contains(Instant.parse("2024-01-01T00:00:00Z"));
    assertThat(meters.get(1).valueProperty()).isEmpty();
  }

  @Test
  void readsJsonAndRoundTrips() {
    List<Meter> meters = MeterDefinitions.parseFile(
        "{\"meters\":[{\"slug\":\"gb\",\"eventType\":\"s\",\"aggregation\":\"TIME_WEIGHTED_SUM\","
            + "\"valueProperty\":\"$['size gb']\"}]}", "m.json");
    assertThat(MeterDefinitions.parseOne(MeterDefinitions.toJson(meters.get(0)))).isEqualTo(meters.get(0));
  }

  @Test
  void reportsEveryProblemByPath() {
    assertThatThrownBy(() -> MeterDefinitions.parseFile("""
        meters:
          - slug: Bad Slug
            eventType: t
            aggregation: SUMM
          - slug: ok
            eventType: t
            aggregation: SUM
          - slug: c
            eventType: t
            aggregation: COUNT
            valueProperty: $.x
            groupBy: {subject: $.s, model: "$..m"}
          - slug: ok
            eventType: t
            aggregation: MAX
            valueProperty: $.v
            colour: red
        """, "meters.yaml"))
        .isInstanceOf(TallyException.class)
        .extracting(e -> ((TallyException) e).problems(), list(Problem.class))
        .extracting(Problem::field)
        .containsExactlyInAnyOrder("meters[0].slug", "meters[0].aggregation", "meters[1].valueProperty",
            "meters[2].valueProperty", "meters[2].groupBy.subject", "meters[2].groupBy.model", "meters[3].colour");
  }

  @Test
  void refusesAFileWithoutMetersList() {
    assertThatThrownBy(() -> MeterDefinitions.parseFile("foo: 1", "x.yaml")).hasMessageContaining("'meters' list");
    assertThatThrownBy(() -> MeterDefinitions.parseFile("meters: [", "x.yaml")).hasMessageContaining("neither");
  }

  @Test
  void jsonPaths() {
    assertThat(JsonPaths.toEnginePath("$.usage.tokens")).isEqualTo("$.\"usage\".\"tokens\"");
    assertThat(JsonPaths.toEnginePath("$.items[2]['unit price']")).isEqualTo("$.\"items\"[2].\"unit price\"");
    assertThatThrownBy(() -> JsonPaths.parse("tokens")).hasMessageContaining("start with $");
    assertThatThrownBy(() -> JsonPaths.parse("$.a[*]")).hasMessageContaining("unsupported selector");
    assertThatThrownBy(() -> JsonPaths.parse("$.*")).hasMessageContaining("wildcards");
    assertThatThrownBy(() -> JsonPaths.parse("$..a")).hasMessageContaining("recursive");
    assertThatThrownBy(() -> JsonPaths.parse("$['a\"b']")).hasMessageContaining("quotes");
    assertThatThrownBy(() -> JsonPaths.parse("$")).hasMessageContaining("must name a property");
  }
}
