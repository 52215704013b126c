package dev.tally.store.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.store.TallyStore;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messy but valid files are accepted; wrong ones are refused with row and column, and nothing is stored. */
class CostImporterTest {
  static final String HEADER = "BilledCost,EffectiveCost,ListCost,BillingCurrency,ChargeCategory,ChargeFrequency,"
      + "ChargePeriodStart,ChargePeriodEnd,ServiceName,ChargeDescription,Tags\n";

  @TempDir Path dir;
  TallyStore store;
  CostStore cost;

  @BeforeEach
  void open() {
    store = TallyStore.open(dir.resolve("data"), Clock.systemUTC());
    cost = CostStore.on(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private long count(String where) {
    return store.read(c -> {
      try (var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM cost_charges WHERE " + where)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Test
  void acceptsBomNullStringsOddCasingQuotedNewlinesAndKeepsExtraColumns() throws Exception {
    Path f = write("messy.csv", "\uFEFF" + HEADER.replace("\n", ",Id\n")
        + "1.25,1.25,2,USD,usage,Usage-based,2024-09-01 00:00:00,2024-09-01 01:00:00,EC2,\"two\nlines, and a comma\","
        + "\"{\"\"env\"\": \"\"prod\"\"}\",17\n"
        + "NULL,0,0,USD,CREDIT,NULL,2024-09-02T00:00:00Z,2024-09-03T00:00:00Z,EC2,NULL,NULL,18\n".replace("NULL,0,0",
            "-3,-3,-3"));
    ImportOutcome out = cost.importer().importFile("t", f, CostFormat.FOCUS);
    assertThat(out.rows()).isEqualTo(2);
    assertThat(out.normalised()).containsEntry("ChargeCategory", 2L).containsEntry("ChargeFrequency", 1L);
    assertThat(count("\"ChargeCategory\" = 'Usage' AND \"ChargeFrequency\" = 'Usage-Based'")).isEqualTo(1);
    assertThat(count("\"ChargeCategory\" = 'Credit' AND \"Tags\" IS NULL AND \"ChargeDescription\" IS NULL"))
        .isEqualTo(1);
    assertThat(count("\"ChargeDescription\" = 'two\nlines, and a comma'")).isEqualTo(1);
    assertThat(count("\"Tags\"->>'env' = 'prod'")).isEqualTo(1);
    assertThat(count("x_Extra->>'Id' = '17'")).isEqualTo(1);
    assertThat(out.billedTotal()).isEqualByComparingTo("-1.75");
  }

  @Test
  void refusesBadValuesWithRowAndColumnAndStoresNothing() throws Exception {
    Path f = write("bad.csv", HEADER
        + "1,1,1,USD,Usage,,2024-09-01,2024-09-02,EC2,ok,\n"
        + "abc,1,1,USD,Usage,,2024-09-01,2024-09-02,EC2,bad cost,\n"
        + "1,1,1,USD,Lunch,,2024-09-01,2024-09-02,EC2,bad category,\n"
        + "1,1,1,USD,Usage,,yesterday,2024-09-02,EC2,bad date,not json\n");
    assertThatThrownBy(() -> cost.importer().importFile("t", f, CostFormat.FOCUS))
        .isInstanceOfSatisfying(TallyException.class, e -> {
          assertThat(e.getMessage()).contains("4 values").contains("nothing was imported");
          assertThat(e.problems()).extracting(Problem::describe).containsExactly(
              "line 3: BilledCost: is not a decimal number (or does not fit DECIMAL(38,12)) (given \"abc\")",
              "line 4: ChargeCategory: is not a FOCUS charge category (Usage, Purchase, Tax, Credit, Adjustment)"
                  + " (given \"Lunch\")",
              "line 5: ChargePeriodStart: is not a date-time (ISO 8601, UTC if no offset) (given \"yesterday\")",
              "line 5: Tags: is not a JSON object (given \"not json\")");
        });
    assertThat(count("TRUE")).isZero();
  }

  @Test
  void refusesAFileWithoutAMandatoryColumn() throws Exception {
    Path f = write("nocost.csv", "EffectiveCost,ListCost,BillingCurrency,ChargeCategory,ChargePeriodStart,"
        + "ChargePeriodEnd\n1,1,USD,Usage,2024-09-01,2024-09-02\n");
    assertThatThrownBy(() -> cost.importer().importFile("t", f, CostFormat.FOCUS))
        .isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.problems()).extracting(Problem::field)
            .containsExactly("BilledCost"));
  }

  @Test
  void refusesAnEmptyMandatoryValue() throws Exception {
    Path f = write("empty.csv", HEADER + "1,1,1,,Usage,,2024-09-01,2024-09-02,EC2,x,\n");
    assertThatThrownBy(() -> cost.importer().importFile("t", f, CostFormat.FOCUS))
        .isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.problems().get(0).describe())
            .isEqualTo("line 2: BillingCurrency: is mandatory but empty"));
  }

  @Test
  void readsGzipByItsBytesAndParquetWrittenByDuckDb() throws Exception {
    String csv = HEADER + "2.5,2.5,3,USD,Usage,,2024-09-01,2024-09-02,EC2,x,\n";
    Path gz = dir.resolve("bill.csv.bin");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(csv.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(cost.importer().importFile("t", gz, CostFormat.FOCUS).rows()).isEqualTo(1);

    // A FOCUS 1.2 Parquet file (typed columns, Tags as a MAP), written by DuckDB itself.
    Path parquet = dir.resolve("bill.parquet");
    store.write(c -> {
      try (var st = c.createStatement()) {
        st.execute("COPY (SELECT 4.5::DECIMAL(18,6) AS BilledCost, 4.5 AS EffectiveCost, 5 AS ListCost,"
            + " 'USD' AS BillingCurrency, 'Usage' AS ChargeCategory,"
            + " TIMESTAMPTZ '2024-09-05 00:00:00+00' AS ChargePeriodStart,"
            + " TIMESTAMPTZ '2024-09-06 00:00:00+00' AS ChargePeriodEnd, 'INV-1' AS InvoiceId,"
            + " map(['team'], ['core']) AS Tags) TO '" + parquet + "' (FORMAT parquet)");
      }
      return null;
    });
    ImportOutcome p = cost.importer().importFile("t", parquet, CostFormat.FOCUS);
    assertThat(p.rows()).isEqualTo(1);
    assertThat(p.focusVersion()).isEqualTo("1.2");
    assertThat(p.billedTotal()).isEqualByComparingTo(new BigDecimal("4.5"));
    assertThat(count("\"Tags\"->>'team' = 'core' AND \"InvoiceId\" = 'INV-1'")).isEqualTo(1);
  }

  @Test
  void raggedCsvIsRefusedAsUnreadable() throws Exception {
    Path f = write("ragged.csv", HEADER + "1,1,1,USD,Usage\n");
    assertThatThrownBy(() -> cost.importer().importFile("t", f, CostFormat.FOCUS))
        .isInstanceOf(TallyException.class).hasMessageContaining("cannot be read as CSV");
    assertThat(count("TRUE")).isZero();
  }

  @Test
  void aStreamIsImportedUnderItsNameAndRefusedWhenEmptyOrTooLong() throws Exception {
    byte[] bill = (HEADER + "2,2,2,USD,Usage,Usage-Based,2024-09-01,2024-09-02,EC2,a,\n")
        .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> cost.importer().importStream("t", "big.csv", new java.io.ByteArrayInputStream(bill),
        bill.length - 1, CostFormat.FOCUS, false))
        .isInstanceOfSatisfying(TallyException.class, e -> {
          assertThat(e.code()).isEqualTo(dev.tally.api.ErrorCode.TOO_LARGE);
          assertThat(e.getMessage()).startsWith("big.csv: is over the limit of " + (bill.length - 1) + " bytes");
        });
    assertThatThrownBy(() -> cost.importer().importStream("t", "empty.csv",
        new java.io.ByteArrayInputStream(new byte[0]), 100, CostFormat.FOCUS, false))
        .isInstanceOfSatisfying(TallyException.class, e -> assertThat(e.problems()).singleElement()
            .satisfies(p -> assertThat(p.describe()).contains("empty")));
    assertThat(count("true")).isZero();

    ImportOutcome o = cost.importer().importStream("t", "sep.csv", new java.io.ByteArrayInputStream(bill),
        bill.length, CostFormat.FOCUS, false);
    assertThat(o.file()).isEqualTo("sep.csv");
    assertThat(o.rows()).isEqualTo(1);
    assertThat(count("true")).isEqualTo(1);
    String recorded = store.read(c -> {
      try (var st = c.createStatement(); var rs = st.executeQuery("SELECT file_name FROM cost_imports")) {
        rs.next();
        return rs.getString(1);
      }
    });
    assertThat(recorded).isEqualTo("sep.csv");
  }
}
