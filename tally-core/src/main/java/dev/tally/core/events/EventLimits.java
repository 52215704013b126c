package dev.tally.core.events;

/** Documented limits on events; inputs over them are rejected with a message naming the limit. */
public final class EventLimits {
  /** Largest accepted event, as JSON text in UTF-8: 64 KiB (OpenMeter's Kafka default is larger; usage events are small). */
  public static final int MAX_EVENT_BYTES = 64 * 1024;

  /** Longest accepted {@code id}, {@code source}, {@code type} or {@code subject}. */
  public static final int MAX_ATTRIBUTE_LENGTH = 1024;

  /**
   * Deepest nesting of objects and arrays in {@code data}, counting {@code data} itself as level 1. Usage data is
   * shallow; the limit keeps hostile input from reaching the parser's own (far higher) limit.
   */
  public static final int MAX_DATA_DEPTH = 32;

  private EventLimits() {}
}
