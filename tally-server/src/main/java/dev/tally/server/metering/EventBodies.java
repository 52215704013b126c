package dev.tally.server.metering;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.tally.api.Event;
import dev.tally.api.Problem;
import dev.tally.core.events.DecodedEvent;
import dev.tally.core.events.EventDecoder;
import dev.tally.core.json.Json;
import dev.tally.server.spi.Bodies;
import dev.tally.server.spi.HttpProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes an ingest request body into events, following OpenMeter: {@code application/cloudevents+json} is one
 * event, {@code application/cloudevents-batch+json} an array of events, {@code application/json} either.
 *
 * <p>Every event is validated and every problem of every event is collected, located by the event's index, so a
 * producer can fix a whole batch at once. The body is scanned once for the
 * byte range of each event, and the decoder reads each event's own text (which also gives its exact size).
 */
final class EventBodies {
  static final String SINGLE = "application/cloudevents+json";
  static final String BATCH = "application/cloudevents-batch+json";
  static final String JSON = "application/json";

  private EventBodies() {}

  /**
   * The events of a body, all valid.
   *
   * @throws HttpProblem 415 for another media type, 413 for too many events, 400 listing every problem
   */
  static List<Event> decode(String mediaType, byte[] body, int maxEvents) {
    if (!mediaType.equals(SINGLE) && !mediaType.equals(BATCH) && !mediaType.equals(JSON)) {
      throw new HttpProblem(415, "unsupported-media-type",
          "send events as " + SINGLE + " (one), " + BATCH + " (an array) or " + JSON + " (either)",
          List.of(Problem.of("Content-Type", "must be " + SINGLE + ", " + BATCH + " or " + JSON,
              mediaType.isEmpty() ? "(none)" : mediaType)), Map.of());
    }
    Bodies.requireUtf8(body);
    List<Event> events = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    try (JsonParser p = Json.json().getFactory().createParser(body)) {
      JsonToken first = p.nextToken();
      if (first == JsonToken.START_ARRAY) {
        if (mediaType.equals(SINGLE)) {
          throw bad("body", "must be one event (a JSON object) for " + SINGLE + "; send arrays as " + BATCH);
        }
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          if (index == maxEvents) {
            throw new HttpProblem(413, "payload-too-large", "the batch is over the limit of " + maxEvents + " events",
                List.of(Problem.of("body", "has more than " + maxEvents + " events; split it into smaller batches")),
                Map.of());
          }
          // Each element's text is handed to the decoder as it is: no tree is built and data keeps its digits.
          int start = (int) p.currentTokenLocation().getByteOffset();
          p.skipChildren();
          int end = (int) p.currentLocation().getByteOffset();
          add(EventDecoder.decode(new String(body, start, end - start, StandardCharsets.UTF_8)), index++, true,
              events, problems);
        }
      } else if (first == JsonToken.START_OBJECT) {
        if (mediaType.equals(BATCH)) {
          throw bad("body", "must be an array of events for " + BATCH);
        }
        p.skipChildren();
        add(EventDecoder.decode(new String(body, StandardCharsets.UTF_8)), 0, false, events, problems);
      } else {
        throw bad("body", first == null ? "is empty; send an event or an array of events"
            : "must be an event (a JSON object) or an array of events");
      }
      if (p.nextToken() != null) {
        throw bad("body", "has content after the end of the JSON value");
      }
    } catch (JsonParseException e) {
      throw bad("body", "is not valid JSON: " + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr() + ")");
    } catch (StreamConstraintsException e) {
      // Nesting past the parser's limit (far deeper than any event may be) or an absurdly long number or name.
      throw bad("body", "exceeds a parser limit: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!problems.isEmpty()) {
      long bad = problems.stream().map(pr -> pr.index().orElse(0)).distinct().count();
      throw HttpProblem.badRequest(bad + " of " + (events.size() + bad) + " event(s) invalid; nothing was stored",
          problems);
    }
    return events;
  }

  private static void add(DecodedEvent d, int index, boolean batch, List<Event> events, List<Problem> problems) {
    if (d.isValid()) {
      events.add(d.event().orElseThrow());
    } else {
      for (Problem pr : d.problems()) {
        problems.add(batch ? pr.atIndex(index) : pr);
      }
    }
  }

  private static HttpProblem bad(String field, String message) {
    return HttpProblem.badRequest("the body cannot be read as events; nothing was stored",
        List.of(Problem.of(field, message)));
  }
}
