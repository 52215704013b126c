package dev.tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.api.Aggregation;
import dev.tally.api.Event;
import dev.tally.api.Meter;
import dev.tally.api.UsageQuery;
import dev.tally.api.UsageResult;
import dev.tally.api.WindowSize;
import dev.tally.core.time.Window;
import dev.tally.core.time.Windows;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;
import net.jqwik.api.Combinators;

/**
 * The query oracle shared by the store's property and tally-spark's parity property: generated cases (events, a
 * meter, a query across DST changes and zones) and a naive in-memory answer written straight from the documented
 * semantics.
 */
public final class QueryOracle {
  /** The clock of every case (time-weighted segments end at min(to, NOW)). */
  public static final Instant NOW = Instant.parse("2024-11-03T12:00:00Z");
  /** Two ranges that contain the European and American DST changes of 2024. */
  private static final List<Instant> BASES =
      List.of(Instant.parse("2024-03-28T00:00:00Z"), Instant.parse("2024-10-25T00:00:00Z"));
  private static final List<String> ZONES = List.of("UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata");

  private QueryOracle() {}

  /** One generated event: minutes after the base, subject, value, key (maybe absent), user. */
  public record Sample(int minute, String subject, BigDecimal value, Optional<String> key, String user) {}

  /** One generated question. */
  public record Case(int base, List<Sample> samples, Aggregation aggregation, int fromMinute, int toMinute,
      Optional<WindowSize> size, String zone, List<String> subjects, List<String> groupBy,
      Optional<String> keyFilter) {}

  /** The random cases, for a property's {@code @ForAll(supplier = QueryOracle.Cases.class)}. */
  public static final class Cases implements ArbitrarySupplier<Case> {
    @Override
    public Arbitrary<Case> get() {
      return cases();
    }
  }

  /** Random cases. */
  public static Arbitrary<Case> cases() {
    Arbitrary<Sample> sample = Combinators.combine(
        Arbitraries.integers().between(0, 10 * 24 * 60),
        Arbitraries.of("a", "b", "c"),
        Arbitraries.bigDecimals().between(BigDecimal.valueOf(-50), BigDecimal.valueOf(1000)).ofScale(3),
        Arbitraries.of("x", "y").optional(0.8),
        Arbitraries.of("u1", "u2", "u3", "u4")).as(Sample::new);
    Arbitrary<Optional<WindowSize>> size = Arbitraries.of(WindowSize.HOUR, WindowSize.DAY, WindowSize.MONTH)
        .optional(0.8);
    Arbitrary<List<String>> subjects = Arbitraries.of("a", "b", "c").set().ofMaxSize(2).map(ArrayList::new);
    Arbitrary<List<String>> groupBy = Arbitraries.of("subject", "k").set().ofMaxSize(2).map(ArrayList::new);
    Arbitrary<Case> partial = Combinators.combine(
        Arbitraries.integers().between(0, 1),
        sample.list().ofMinSize(1).ofMaxSize(60),
        Arbitraries.of(Aggregation.values()),
        Arbitraries.integers().between(-24 * 60, 5 * 24 * 60),
        Arbitraries.integers().between(1, 6 * 24 * 60),
        size,
        Arbitraries.of(ZONES),
        subjects).as((base, samples, agg, from, length, ws, zone, subj) ->
            new Case(base, samples, agg, from, from + length, ws, zone, subj, List.of(), Optional.empty()));
    return Combinators.combine(partial, groupBy, Arbitraries.of("x", "y").optional(0.3))
        .as((c, gb, f) -> new Case(c.base(), c.samples(), c.aggregation(), c.fromMinute(), c.toMinute(), c.size(),
            c.zone(), c.subjects(), gb, f));
  }

  /** The case's meter: slug m, type e, value $.v (or $.u for UNIQUE_COUNT), group key k. */
  public static Meter meter(Case c) {
    String value = c.aggregation() == Aggregation.UNIQUE_COUNT ? "$.u" : "$.v";
    return new Meter("m", "", "e", c.aggregation(),
        c.aggregation().needsValue() ? Optional.of(value) : Optional.empty(), Map.of("k", "$.k"), Optional.empty());
  }

  /** The case's events. */
  public static List<Event> events(Case c) {
    Instant base = BASES.get(c.base());
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < c.samples().size(); i++) {
      Sample s = c.samples().get(i);
      String data = "{\"v\":" + s.value().toPlainString() + ",\"u\":\"" + s.user() + "\""
          + s.key().map(k -> ",\"k\":\"" + k + "\"").orElse("") + "}";
      events.add(Event.of("e" + i, "src", "e", s.subject(), base.plus(Duration.ofMinutes(s.minute())), data));
    }
    return events;
  }

  /** The case's query. */
  public static UsageQuery query(Case c) {
    Instant base = BASES.get(c.base());
    return new UsageQuery("m", base.plus(Duration.ofMinutes(c.fromMinute())),
        base.plus(Duration.ofMinutes(c.toMinute())), c.size(), ZoneId.of(c.zone()), c.subjects(), c.groupBy(),
        c.keyFilter().map(k -> Map.of("k", k)).orElse(Map.of()));
  }

  /** A result's rows keyed as {@link #expected} keys them. */
  public static Map<String, BigDecimal> rows(UsageResult result) {
    Map<String, BigDecimal> got = new TreeMap<>();
    result.data().forEach(r -> got.put(key(r.windowStart(), r.windowEnd(), r.subject(), r.groupBy()), r.value()));
    return got;
  }

  /** The documented answer, computed naively. */
  public static Map<String, BigDecimal> expected(Case c) {
    return oracle(query(c), c, events(c));
  }

  /** Fails unless a result has exactly the rows of the documented answer, each with its value. */
  public static void assertAgrees(Case c, UsageResult result) {
    Map<String, BigDecimal> expected = expected(c);
    Map<String, BigDecimal> got = rows(result);
    assertThat(got.keySet()).as("rows").isEqualTo(expected.keySet());
    expected.forEach((k, v) -> assertThat(got.get(k)).as(k).isEqualByComparingTo(v));
  }

  private static String key(Instant ws, Instant we, Optional<String> subject, Map<String, String> groupBy) {
    return ws + "|" + we + "|" + subject.orElse("-") + "|" + new TreeMap<>(groupBy);
  }

  /** The documented semantics, computed naively. */
  private static Map<String, BigDecimal> oracle(UsageQuery q, Case c, List<Event> events) {
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      Sample s = c.samples().get(i);
      boolean subjectOk = q.subjects().isEmpty() || q.subjects().contains(s.subject());
      boolean filterOk = c.keyFilter().isEmpty() || c.keyFilter().equals(s.key());
      if (subjectOk && filterOk) {
        kept.add(i);
      }
    }
    boolean bySubject = q.groupsBySubject();
    boolean byKey = q.groupBy().contains("k");
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    Map<String, BigDecimal> out = new TreeMap<>();
    if (c.aggregation().timeWeighted()) {
      return timeWeighted(q, c, events, kept, bySubject, byKey);
    }
    for (int i : kept) {
      Instant t = events.get(i).time().orElseThrow();
      if (t.isBefore(q.from()) || !t.isBefore(q.to())) {
        continue;
      }
      Window w = q.windowSize().map(s -> Windows.clippedWindowOf(t, s, q.windowTimeZone(), q.from(), q.to()))
          .orElse(new Window(q.from(), q.to()));
      groups.computeIfAbsent(groupKey(w, c.samples().get(i), bySubject, byKey), k -> new ArrayList<>()).add(i);
    }
    groups.forEach((k, idx) -> out.put(k, aggregate(c.aggregation(), idx, c.samples(), events)));
    return out;
  }

  private static String groupKey(Window w, Sample s, boolean bySubject, boolean byKey) {
    Map<String, String> gb = new TreeMap<>();
    if (byKey) {
      s.key().ifPresent(k -> gb.put("k", k));
    }
    return key(w.start(), w.end(), bySubject ? Optional.of(s.subject()) : Optional.empty(), gb);
  }

  private static BigDecimal aggregate(Aggregation a, List<Integer> idx, List<Sample> samples, List<Event> events) {
    List<BigDecimal> values = idx.stream().map(i -> samples.get(i).value()).toList();
    return switch (a) {
      case SUM -> values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
      case COUNT -> BigDecimal.valueOf(idx.size());
      case AVG -> values.stream().reduce(BigDecimal.ZERO, BigDecimal::add)
          .divide(BigDecimal.valueOf(values.size()), 9, RoundingMode.HALF_EVEN);
      case MIN -> values.stream().min(Comparator.naturalOrder()).orElseThrow();
      case MAX -> values.stream().max(Comparator.naturalOrder()).orElseThrow();
      case UNIQUE_COUNT -> {
        Set<String> users = new HashSet<>();
        idx.forEach(i -> users.add(samples.get(i).user()));
        yield BigDecimal.valueOf(users.size());
      }
      case LATEST -> samples.get(idx.stream()
          .max(Comparator.<Integer, Instant>comparing(i -> events.get(i).time().orElseThrow())
              .thenComparing(i -> i))
          .orElseThrow()).value();
      case TIME_WEIGHTED_SUM, TIME_WEIGHTED_AVG -> throw new IllegalStateException("handled apart");
    };
  }

  private static Map<String, BigDecimal> timeWeighted(UsageQuery q, Case c, List<Event> events, List<Integer> kept,
      boolean bySubject, boolean byKey) {
    Instant cap = q.to().isAfter(NOW) ? NOW : q.to();
    Map<String, BigDecimal> micros = new TreeMap<>();
    if (!cap.isAfter(q.from())) {
      return micros;
    }
    List<Window> windows = q.windowSize().map(s -> Windows.list(q.from(), q.to(), s, q.windowTimeZone()))
        .orElse(List.of(new Window(q.from(), q.to())));
    Map<String, List<Integer>> series = new LinkedHashMap<>();
    for (int i : kept) {
      if (events.get(i).time().orElseThrow().isBefore(cap)) {
        Sample s = c.samples().get(i);
        series.computeIfAbsent(s.subject() + "|" + s.key().orElse("<none>"), k -> new ArrayList<>()).add(i);
      }
    }
    for (List<Integer> idx : series.values()) {
      idx.sort(Comparator.<Integer, Instant>comparing(i -> events.get(i).time().orElseThrow()).thenComparing(i -> i));
      for (int j = 0; j < idx.size(); j++) {
        Instant t0 = events.get(idx.get(j)).time().orElseThrow();
        Instant t1 = j + 1 < idx.size() ? events.get(idx.get(j + 1)).time().orElseThrow() : cap;
        if (!t1.isAfter(t0)) {
          continue;
        }
        Sample s = c.samples().get(idx.get(j));
        for (Window w : windows) {
          Instant we = w.end().isAfter(cap) ? cap : w.end();
          if (!w.start().isBefore(cap)) {
            continue;
          }
          Instant a = t0.isAfter(w.start()) ? t0 : w.start();
          Instant b = t1.isBefore(we) ? t1 : we;
          if (t0.isBefore(we) && t1.isAfter(w.start())) {
            long overlap = Duration.between(a, b).toNanos() / 1000;
            micros.merge(groupKey(w, s, bySubject, byKey), s.value().multiply(BigDecimal.valueOf(overlap)),
                BigDecimal::add);
          }
        }
      }
    }
    Map<String, BigDecimal> out = new TreeMap<>();
    micros.forEach((k, v) -> {
      if (c.aggregation() == Aggregation.TIME_WEIGHTED_SUM) {
        out.put(k, v.divide(BigDecimal.valueOf(3_600_000_000L), 9, RoundingMode.HALF_EVEN));
      } else {
        String[] parts = k.split("\\|");
        Instant ws = Instant.parse(parts[0]);
        Instant we = Instant.parse(parts[1]);
        Instant end = we.isAfter(cap) ? cap : we;
        out.put(k, v.divide(BigDecimal.valueOf(Duration.between(ws, end).toNanos() / 1000), 9,
            RoundingMode.HALF_EVEN));
      }
    });
    return out;
  }
}
