package dev.tally.store.subjects;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.json.Json;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who an event's subject is, in OpenMeter's shape: the key (the events' {@code subject}), a display name, free
 * metadata, the current billing period and a Stripe customer id.
 *
 * @param id Tally's id for the subject (a ULID), fixed when it is first stored
 * @param key the subject as events name it
 * @param displayName a name for people, such as the customer's
 * @param metadata any JSON values by name (as Jackson reads them: strings, numbers, booleans, lists, maps)
 * @param currentPeriodStart the start of the subject's current billing period, if known
 * @param currentPeriodEnd its end, if known
 * @param stripeCustomerId the subject's customer id in Stripe, if any
 */
public record Subject(String id, String key, Optional<String> displayName, Optional<Map<String, Object>> metadata,
    Optional<Instant> currentPeriodStart, Optional<Instant> currentPeriodEnd, Optional<String> stripeCustomerId) {
  public Subject {
    requireNonNull(id, "id is null");
    requireNonNull(key, "key is null");
    requireNonNull(displayName, "displayName is null");
    metadata = requireNonNull(metadata, "metadata is null")
        .map(m -> Collections.unmodifiableMap(new LinkedHashMap<>(m)));
    requireNonNull(currentPeriodStart, "currentPeriodStart is null");
    requireNonNull(currentPeriodEnd, "currentPeriodEnd is null");
    requireNonNull(stripeCustomerId, "stripeCustomerId is null");
  }

  /** The subject as OpenMeter answers it ({@code id}, {@code key}, then the fields that have a value). */
  public ObjectNode toJson() {
    ObjectNode n = Json.json().createObjectNode();
    n.put("id", id);
    n.put("key", key);
    displayName.ifPresent(d -> n.put("displayName", d));
    metadata.ifPresent(m -> n.set("metadata", Json.json().valueToTree(m)));
    currentPeriodStart.ifPresent(t -> n.put("currentPeriodStart", t.toString()));
    currentPeriodEnd.ifPresent(t -> n.put("currentPeriodEnd", t.toString()));
    stripeCustomerId.ifPresent(c -> n.put("stripeCustomerId", c));
    return n;
  }
}
