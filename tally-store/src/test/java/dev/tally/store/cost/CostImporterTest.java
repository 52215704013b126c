package dev.tally.store.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Messy but valid files are accepted; wrong ones are refused with row and column, and nothing is stored. */
class CostImporterTest extends CostTestBase {
  static final String HEADER = "BilledCost,EffectiveCost,ListCost,BillingCurrency,ChargeCategory,ChargeFrequency,"
      + "ChargePeriodStart,ChargePeriodEnd,ServiceName,ChargeDescription,Tags\n";

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
    Path parquet = writeParquet("bill.parquet", "SELECT 4.5::DECIMAL(18,6) AS BilledCost, 4.5 AS EffectiveCost,"
        + " 5 AS ListCost, 'USD' AS BillingCurrency, 'Usage' AS ChargeCategory,"
        + " TIMESTAMPTZ '2024-09-05 00:00:00+00' AS ChargePeriodStart,"
        + " TIMESTAMPTZ '2024-09-06 00:00:00+00' AS ChargePeriodEnd, 'INV-1' AS InvoiceId,"
        + " map(['team'], ['core']) AS Tags");
    ImportOutcome p = cost.importer().importFile("t", parquet, CostFormat.FOCUS);
    assertThat(p.rows()).isEqualTo(1);
    assertThat(p.focusVersion()).isEqualTo("1.2");
    assertThat(p.billedTotal()).isEqualByComparingTo(new BigDecimal("4.5"));
    assertThat(count("\"Tags\"->>'team' = 'core' AND \"InvoiceId\" = 'INV-1'")).isEqualTo(1);
  }

  @Test
  void raggedRowsAreRefusedWithTheirLinesAndWhatWasExpected() throws Exception {
    Path f = write("ragged.csv", HEADER
        + "1,1,1,USD,Usage,,2024-09-01,2024-09-02,EC2,ok,\n"
        + "1,1,1,USD,Usage\n"
        + "1,1,1,USD,Usage,,2024-09-01,2024-09-02,EC2,ok,,surplus\n"
        + "1,1,1,USD,Usage,,2024-09-01,2024-09-02,EC2,\"never closed,\n");
    assertThatThrownBy(() -> cost.importer().importFile("t", f, CostFormat.FOCUS))
        .isInstanceOfSatisfying(TallyException.class, e -> {
          assertThat(e.getMessage()).isEqualTo(f + ": 3 lines do not fit the header's 11 columns; nothing was "
              + "imported from this file");
          assertThat(e.problems()).extracting(Problem::describe).containsExactly(
              "line 3: row: has 5 fields where the header (line 1) has 11 (given \"1,1,1,USD,Usage\")",
              "line 4: row: has 12 fields where the header (line 1) has 11 (given \"1,1,1,USD,Usage,,2024-09-01,"
                  + "2024-09-02,EC2,ok,,surplus\")",
              "line 5: row: has a quote that is not closed (or text after a closing quote) (given \"1,1,1,USD,Usage,,"
                  + "2024-09-01,2024-09-02,EC2,\"never closed,\n\")");
        });
    assertThat(count("TRUE")).isZero();
  }

  @Test
  void aHeaderWithOneMoreFieldThanItsRowsIsNamed() throws Exception {
    // As in a real CUR whose header ends with a comma: every row is one field short.
    String rows = "1,1,1,USD,Usage,,2024-09-01,2024-09-02,EC2,a,\n2,2,2,USD,Usage,,2024-09-01,2024-09-02,EC2,b,\n";
    Path trailing = write("trailing.csv", HEADER.replace("\n", ",\n") + rows);
    assertThatThrownBy(() -> cost.importer().importFile("t", trailing, CostFormat.FOCUS))
        .isInstanceOfSatisfying(TallyException.class, e -> {
          assertThat(e.getMessage()).isEqualTo(trailing + ": 2 lines do not fit the header's 12 columns (the header "
              + "ends with an empty name: a trailing comma on line 1?); nothing was imported from this file");
          assertThat(e.problems()).extracting(p -> p.line().getAsLong()).containsExactly(2L, 3L);
        });
    Path named = write("named.csv", HEADER.replace("\n", ",x_Owner\n") + rows);
    assertThatThrownBy(() -> cost.importer().importFile("t", named, CostFormat.FOCUS))
        .hasMessageContaining("(every one lacks the header's last column, x_Owner)");
    assertThat(count("TRUE")).isZero();
  }

  @Test
  void headerNamesAreReadByTheCsvReaderQuotedEmptyAndRepeated() throws Exception {
    Path f = write("quoted.csv", "\uFEFF\"BilledCost\",EffectiveCost,ListCost,BillingCurrency,ChargeCategory,"
        + "ChargePeriodStart,ChargePeriodEnd,\"x_Note, with comma\",x_Note, with comma,x_Note\n"
        + "1,1,1,USD,Usage,2024-09-01,2024-09-02,a,b,c,d\n");
    ImportOutcome o = cost.importer().importFile("t", f, CostFormat.FOCUS);
    assertThat(o.rows()).isEqualTo(1);
    assertThat(count("x_Extra->>'x_Note, with comma' = 'a' AND x_Extra->>'x_Note' = 'b' "
        + "AND x_Extra->>'with comma' = 'c' AND x_Extra->>'x_Note_2' = 'd'")).isEqualTo(1);
  }

  @Test
  void aFileImportedInTheWrongFormatSaysWhatItLooksLike() throws Exception {
    Path cur = write("cur.csv", "identity/LineItemId,lineItem/UsageStartDate,lineItem/UsageEndDate,"
        + "lineItem/UnblendedCost,lineItem/CurrencyCode\nx,2024-09-01T00:00:00Z,2024-09-01T01:00:00Z,0.5,USD\n");
    assertThatThrownBy(() -> cost.importer().importFile("t", cur, CostFormat.FOCUS))
        .isInstanceOfSatisfying(TallyException.class, e -> {
          assertThat(e.getMessage()).isEqualTo(cur + ": cannot be imported as FOCUS: it lacks 7 columns (BilledCost,"
              + " BillingCurrency, ChargeCategory, ChargePeriodEnd, ChargePeriodStart, EffectiveCost, ListCost); this"
              + " looks like an AWS Cost and Usage Report: import it with format aws (--format aws); nothing was"
              + " imported from this file");
          assertThat(e.problems()).hasSize(7);
        });
    Path focus = write("focus.csv", HEADER + "1,1,1,USD,Usage,,2024-09-01,2024-09-02,EC2,a,\n");
    assertThatThrownBy(() -> cost.importer().importFile("t", focus, CostFormat.AZURE))
        .hasMessageContaining("this looks like a FOCUS file: import it with format focus (--format focus)");
    Path unknown = write("unknown.csv", "a,b\n1,2\n");
    assertThatThrownBy(() -> cost.importer().importFile("t", unknown, CostFormat.AWS))
        .hasMessage(unknown + ": cannot be imported as an AWS Cost and Usage Report: it lacks the column "
            + "line_item_unblended_cost; nothing was imported from this file");
    assertThat(count("TRUE")).isZero();
  }

  @Test
  void costsWithMoreThanTwelvePlacesAreRoundedAndSaidNeverSilently() throws Exception {
    Path f = write("places.csv", HEADER
        + "0.1234567890125,0.1234567890125,1,USD,Usage,,2024-09-01,2024-09-02,EC2,a,\n"
        + "2.00000000000049,2.5,1.50000000000000000000000000001,USD,Usage,,2024-09-01,2024-09-02,EC2,b,\n"
        + "1.5E-13,1,1,USD,Usage,,2024-09-01,2024-09-02,EC2,c,\n"
        + "3.100000000000000,3.1,3.1,USD,Usage,,2024-09-01,2024-09-02,EC2,trailing zeros lose nothing,\n");
    ImportOutcome o = cost.importer().importFile("t", f, CostFormat.FOCUS);
    assertThat(o.rounded().columns()).containsExactly(java.util.Map.entry("BilledCost", 3L),
        java.util.Map.entry("EffectiveCost", 1L), java.util.Map.entry("ListCost", 1L));
    // Stored: 0.123456789013 (+0.0000000000005), 2.000000000000 (-0.00000000000049), 0.000000000000 (-1.5E-13).
    assertThat(o.rounded().billedChange()).isEqualByComparingTo("-0.00000000000014");
    assertThat(o.billedTotal()).isEqualByComparingTo("5.223456789013");
    String stored = store.read(c -> {
      try (var st = c.createStatement(); var rs = st.executeQuery("SELECT rounded, cost_basis FROM cost_imports")) {
        rs.next();
        return rs.getString(1) + " " + rs.getString(2);
      }
    });
    assertThat(stored).contains("\"BilledCost\":3", "-0.00000000000014").endsWith(" focus");

    Path exact = write("exact.csv", HEADER + "0.123456789012,1,1,USD,Usage,,2024-09-01,2024-09-02,EC2,a,\n");
    assertThat(cost.importer().importFile("t", exact, CostFormat.FOCUS).rounded().any()).isFalse();
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
