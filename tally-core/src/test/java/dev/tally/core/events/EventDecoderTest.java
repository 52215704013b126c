package dev.tally.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.api.Event;
import dev.tally.api.Problem;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventDecoderTest {
  private static final String VALID = """
      {"specversion":"1.0","id":"e1","source":"svc","type":"ai.tokens","subject":"customer-1",
       "time":"2024-03-31T01:30:00+01:00","data":{"tokens":12,"model":"m"}}""";

  @Test
  void decodesAValidEvent() {
    DecodedEvent d = EventDecoder.decode(VALID);
    assertThat(d.problems()).isEmpty();
    Event e = d.event().orElseThrow();
    assertThat(e.id()).isEqualTo("e1");
    assertThat(e.time()).contains(Instant.parse("2024-03-31T00:30:00Z"));
    assertThat(e.data()).isEqualTo("{\"tokens\":12,\"model\":\"m\"}");
    assertThat(e.datacontenttype()).isEmpty();
  }

  @Test
  void keepsDecimalValuesDigitForDigit() {
    Event e = EventDecoder.decode(VALID.replace("12", "0.1000000001")).event().orElseThrow();
    assertThat(e.data()).contains("0.1000000001");
  }

  @Test
  void absentTimeMeansIngestTimeAndAbsentDataIsEmpty() {
    Event e = EventDecoder.decode("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"subject\":\"x\"}")
        .event().orElseThrow();
    assertThat(e.time()).isEmpty();
    assertThat(e.data()).isEqualTo("{}");
  }

  @Test
  void reportsEveryProblemWithItsField() {
    DecodedEvent d = EventDecoder.decode(
        "{\"specversion\":\"0.3\",\"id\":\"\",\"source\":5,\"subject\":\"x\",\"time\":\"yesterday\",\"data\":[1]}");
    assertThat(d.isValid()).isFalse();
    assertThat(d.problems()).extracting(Problem::field)
        .containsExactlyInAnyOrder("id", "source", "type", "specversion", "time", "data");
    assertThat(d.problems()).filteredOn(p -> p.field().equals("specversion"))
        .singleElement().satisfies(p -> assertThat(p.given()).contains("0.3"));
    assertThat(d.problems()).filteredOn(p -> p.field().equals("type"))
        .singleElement().satisfies(p -> assertThat(p.message()).isEqualTo("is required"));
    assertThat(d.problems()).filteredOn(p -> p.field().equals("data"))
        .singleElement().satisfies(p -> assertThat(p.message()).contains("an array"));
  }

  @Test
  void refusesATimeWithoutOffset() {
    DecodedEvent d = EventDecoder.decode(VALID.replace("2024-03-31T01:30:00+01:00", "2024-03-31T01:30:00"));
    assertThat(d.problems()).singleElement().satisfies(p -> {
      assertThat(p.field()).isEqualTo("time");
      assertThat(p.message()).contains("RFC 3339");
    });
  }

  @Test
  void refusesNonObjectsAndInvalidJson() {
    assertThat(EventDecoder.decode("[1,2]").problems()).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("must be a JSON object"));
    assertThat(EventDecoder.decode("{\"id\":").problems()).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("not valid JSON"));
  }

  @Test
  void refusesOversizedEvents() {
    String big = VALID.replace("\"m\"", "\"" + "x".repeat(EventLimits.MAX_EVENT_BYTES) + "\"");
    List<Problem> problems = EventDecoder.decode(big).problems();
    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.field()).isEqualTo("event");
      assertThat(p.message()).contains("over the limit of 65536 bytes");
    });
  }

  @Test
  void countsMultiByteCharactersAsBytes() {
    // 30,000 three-byte characters: 90,000 bytes although only 30,000 chars.
    String big = VALID.replace("\"m\"", "\"" + "€".repeat(30_000) + "\"");
    assertThat(EventDecoder.decode(big).isValid()).isFalse();
  }
}
