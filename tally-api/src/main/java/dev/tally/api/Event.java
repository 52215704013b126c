package dev.tally.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One usage event, a CloudEvents 1.0 JSON event as OpenMeter uses it.
 *
 * <p>An event is identified by {@code (tenant, source, id)} forever: a second event with the same identity is a
 * duplicate and is counted once. The tenant is not part of the event: it comes from where the event was sent
 * (the CLI's {@code --tenant}, the API key).
 *
 * @param id producer-chosen identifier, unique within {@code source}
 * @param source who produced the event (a URI reference, kept as text)
 * @param specversion always {@code "1.0"} once validated
 * @param type the event type, which meters select on
 * @param subject whose usage this is (a customer, a user, a device)
 * @param time when the usage happened; empty means "the ingest time"
 * @param data the event's payload, a JSON object as text
 * @param datacontenttype optional content type of {@code data}
 * @param dataschema optional schema URI of {@code data}
 */
public record Event(
    String id,
    String source,
    String specversion,
    String type,
    String subject,
    Optional<Instant> time,
    String data,
    Optional<String> datacontenttype,
    Optional<String> dataschema) {

  /** The only CloudEvents version Tally accepts. */
  public static final String SPEC_VERSION = "1.0";

  public Event {
    requireNonNull(id, "id is null");
    requireNonNull(source, "source is null");
    requireNonNull(specversion, "specversion is null");
    requireNonNull(type, "type is null");
    requireNonNull(subject, "subject is null");
    requireNonNull(time, "time is null");
    requireNonNull(data, "data is null");
    requireNonNull(datacontenttype, "datacontenttype is null");
    requireNonNull(dataschema, "dataschema is null");
  }

  /** A minimal event, as tests and generators build them. */
  public static Event of(String id, String source, String type, String subject, Instant time, String data) {
    return new Event(id, source, SPEC_VERSION, type, subject, Optional.of(time), data, Optional.empty(), Optional.empty());
  }
}
