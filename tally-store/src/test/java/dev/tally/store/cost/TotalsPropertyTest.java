package dev.tally.store.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.cost.ChargeScope;
import dev.tally.core.cost.ReportTable;
import dev.tally.store.TallyStore;
import dev.tally.store.TempDirectory;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Totals against a naive in-memory oracle: for random charges, each group's cost, the usage total and the grand total
 * equal BigDecimal sums computed here, to the last digit, and non-usage never leaks into the usage section.
 */
class TotalsPropertyTest {
  record Charge(String category, String service, String region, BigDecimal cost) {}

  @Provide
  Arbitrary<Charge> charges() {
    return Combinators.combine(
        Arbitraries.of("Usage", "Usage", "Usage", "Purchase", "Credit", "Tax"),
        Arbitraries.of("EC2", "S3", "RDS", "Lambda"),
        Arbitraries.of("us-east-1", "eu-west-1", ""),
        Arbitraries.bigDecimals().between(new BigDecimal("-50"), new BigDecimal("1000")).ofScale(11))
        .as(Charge::new);
  }

  @Property(tries = 15)
  void totalsEqualTheOracle(@ForAll @Size(min = 1, max = 60) List<@From("charges") Charge> charges,
      @ForAll boolean byRegion) throws Exception {
    try (TempDirectory temp = TempDirectory.create("tally-prop");
        TallyStore store = TallyStore.open(temp.path().resolve("data"), Clock.systemUTC())) {
      Path dir = temp.path();
      FocusFiles f = new FocusFiles();
      charges.forEach(c -> f.add("2024-09-01", c.category(), c.service(), "a", c.region(), c.cost().toPlainString(),
          ""));
      CostStore cost = CostStore.on(store);
      cost.importer().importFile("p", f.write(dir.resolve("f.csv")), CostFormat.FOCUS);
      String column = byRegion ? "RegionId" : "ServiceName";
      ReportTable t = cost.reports().totals(CostScope.of("p").withCharges(ChargeScope.ALL),
          CostColumn.parse("--by", column), 100);

      Map<String, BigDecimal> usage = new TreeMap<>();
      BigDecimal grand = BigDecimal.ZERO;
      for (Charge c : charges) {
        String group = byRegion ? (c.region().isEmpty() ? "(none)" : c.region()) : c.service();
        if (c.category().equals("Usage")) {
          usage.merge(group, c.cost(), BigDecimal::add);
        }
        grand = grand.add(c.cost());
      }
      Map<String, BigDecimal> reported = new TreeMap<>();
      BigDecimal reportedGrand = null;
      for (Map<String, Object> r : t.records()) {
        String group = (String) r.get(column);
        if (r.get("section").equals("usage") && !group.equals("(total)")) {
          reported.put(group, (BigDecimal) r.get("cost"));
        }
        if (group.equals("(grand total)")) {
          reportedGrand = (BigDecimal) r.get("cost");
        }
      }
      assertThat(reported.keySet()).isEqualTo(usage.keySet());
      usage.forEach((g, v) -> assertThat(reported.get(g)).as(g).isEqualByComparingTo(v));
      assertThat(reportedGrand).isEqualByComparingTo(grand);
    }
  }
}
