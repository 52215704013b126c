package dev.tally.core.query;

import dev.tally.api.Meter;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.api.UsageQuery;
import dev.tally.core.time.Windows;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks every engine makes before answering a {@link UsageQuery}, so that DuckDB (tally-store) and Spark
 * (tally-spark) refuse the same questions with the same words.
 */
public final class QueryChecks {
  /** Most windows one query may cut its range into. */
  public static final long MAX_WINDOWS = 100_000;

  private QueryChecks() {}

  /** Refuses a query the meter cannot answer: empty range, unknown group-by or filter keys, too many windows. */
  public static void check(Meter m, UsageQuery q) {
    List<Problem> problems = new ArrayList<>();
    if (!q.from().isBefore(q.to())) {
      problems.add(Problem.of("from", "must be before 'to' (" + q.to() + ")", q.from().toString()));
    }
    for (String k : q.groupBy()) {
      if (!k.equals(UsageQuery.SUBJECT) && !m.groupBy().containsKey(k)) {
        problems.add(Problem.of("groupBy", "meter '" + m.slug() + "' has no group-by key '" + k + "' (it has: "
            + String.join(", ", keysWithSubject(m)) + ")", k));
      }
    }
    for (String k : q.filterGroupBy().keySet()) {
      if (!k.equals(UsageQuery.SUBJECT) && !m.groupBy().containsKey(k)) {
        problems.add(Problem.of("filterGroupBy", "meter '" + m.slug() + "' has no group-by key '" + k + "' (it has: "
            + String.join(", ", keysWithSubject(m)) + ")", k));
      }
    }
    if (problems.isEmpty() && q.windowSize().isPresent()) {
      long n = Windows.count(q.from(), q.to(), q.windowSize().get(), q.windowTimeZone(), MAX_WINDOWS);
      if (n > MAX_WINDOWS) {
        problems.add(Problem.of("windowSize", "cuts the range into more than " + MAX_WINDOWS
            + " windows; choose a larger window or a shorter range", q.windowSize().get().name()));
      }
    }
    if (!problems.isEmpty()) {
      throw TallyException.invalid("invalid query", problems);
    }
  }

  private static List<String> keysWithSubject(Meter m) {
    List<String> keys = new ArrayList<>(List.of(UsageQuery.SUBJECT));
    keys.addAll(m.groupBy().keySet());
    return keys;
  }
}
