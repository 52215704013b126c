package dev.tally.store;

import static java.util.Objects.requireNonNull;

import dev.tally.api.Event;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stored events of one tenant, newest first, as they were ingested: what {@code GET /api/v1/events} lists. A read of
 * raw events for a person looking at them, not for figures (usage queries read meter values, see
 * {@link UsageQueryEngine}).
 *
 * <p>Reads its writes like every read of events: it waits for the background loader to pass what was acknowledged
 * when the listing started (see {@link TallyStore#awaitAcknowledgedWrites()}), so an event just acknowledged is listed.
 */
public final class EventListing {
  /** The largest page a listing returns. */
  public static final int MAX_LIMIT = 1000;

  private final TallyStore store;

  EventListing(TallyStore store) {
    this.store = store;
  }

  /**
   * Which events to list. Times are half-open ranges ({@code from} inclusive, {@code to} exclusive); subjects, when
   * given, are alternatives; every given condition must hold.
   *
   * @param time the range of the events' own time
   * @param ingestedAt the range of the time Tally took them in
   * @param limit how many at most, 1 to {@link #MAX_LIMIT}
   */
  public record Filter(String tenant, Range time, Range ingestedAt, List<String> subjects, Optional<String> id,
      int limit) {
    public Filter {
      requireNonNull(tenant, "tenant is null");
      requireNonNull(time, "time is null");
      requireNonNull(ingestedAt, "ingestedAt is null");
      subjects = List.copyOf(subjects);
      requireNonNull(id, "id is null");
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException("limit " + limit + " is outside 1.." + MAX_LIMIT);
      }
    }
  }

  /** A half-open range of instants; either end may be open. */
  public record Range(Optional<Instant> from, Optional<Instant> to) {
    public static final Range ALL = new Range(Optional.empty(), Optional.empty());

    public Range {
      requireNonNull(from, "from is null");
      requireNonNull(to, "to is null");
    }
  }

  /** An event as stored, with the time Tally took it in. */
  public record Listed(Event event, Instant ingestedAt) {
    public Listed {
      requireNonNull(event, "event is null");
      requireNonNull(ingestedAt, "ingestedAt is null");
    }
  }

  /** The events the filter selects, newest first (by their own time, then by arrival). */
  public List<Listed> list(Filter f) {
    requireNonNull(f, "filter is null");
    StringBuilder where = new StringBuilder(" WHERE tenant = ?");
    List<Object> args = new ArrayList<>(List.of(f.tenant()));
    bound(f.time(), "ts", where, args);
    bound(f.ingestedAt(), "ingested_at", where, args);
    if (!f.subjects().isEmpty()) {
      where.append(" AND subject IN (").append("?, ".repeat(f.subjects().size() - 1)).append("?)");
      args.addAll(f.subjects());
    }
    f.id().ifPresent(id -> {
      where.append(" AND id = ?");
      args.add(id);
    });
    String sql = "SELECT id, source, type, subject, ts, ingested_at, data, datacontenttype, dataschema FROM events"
        + where + " ORDER BY ts DESC, seq DESC LIMIT " + f.limit();
    store.awaitAcknowledgedWrites();
    return store.read(c -> {
      List<Listed> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(listed(rs));
          }
        }
      }
      return out;
    });
  }

  private static void bound(Range r, String column, StringBuilder where, List<Object> args) {
    r.from().ifPresent(t -> {
      where.append(" AND ").append(column).append(" >= ?");
      args.add(OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
    });
    r.to().ifPresent(t -> {
      where.append(" AND ").append(column).append(" < ?");
      args.add(OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
    });
  }

  private static Listed listed(ResultSet rs) throws SQLException {
    Event e = new Event(rs.getString(1), rs.getString(2), Event.SPEC_VERSION, rs.getString(3), rs.getString(4),
        Optional.of(rs.getObject(5, OffsetDateTime.class).toInstant()), rs.getString(7),
        Optional.ofNullable(rs.getString(8)), Optional.ofNullable(rs.getString(9)));
    return new Listed(e, rs.getObject(6, OffsetDateTime.class).toInstant());
  }
}
