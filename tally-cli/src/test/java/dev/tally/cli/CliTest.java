package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.cli.CliRun.Run;
import dev.tally.core.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process: exit codes, messages, and the documented flags. */
class CliTest {
  @TempDir Path dir;

  private static Run run(String... args) {
    return CliRun.run(args);
  }

  private String data() {
    return dir.resolve("data").toString();
  }

  private Path file(String name, String content) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, content);
    return f;
  }

  private static final String METERS = """
      meters:
        - slug: tokens
          eventType: ai
          aggregation: SUM
          valueProperty: $.tokens
          groupBy: {model: $.model}
      """;

  private static String event(String id, String time, Object tokens, String model) {
    return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"s\",\"type\":\"ai\",\"subject\":\"acme\","
        + "\"time\":\"" + time + "\",\"data\":{\"tokens\":" + tokens + ",\"model\":\"" + model + "\"}}\n";
  }

  @Test
  void helpAndUsageErrors() {
    Run help = run("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("import", "meters", "query", "demo");
    assertThat(run("query", "--help").out()).contains("--window-time-zone", "--filter-group-by");
    Run bad = run("query", "m", "--from", "2024-01-01", "--bogus");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("Unknown option: '--bogus'");
    assertThat(run("query", "m").code()).isEqualTo(2); // --from is required
  }

  @Test
  void applyImportQueryInEveryFormat() throws Exception {
    Path meters = file("meters.yaml", METERS);
    Run apply = run("meters", "apply", meters.toString(), "--data", data(), "--tenant", "acme");
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out()).contains("tokens: created (0 stored events counted)");
    Path events = file("e.ndjson", event("1", "2024-03-31T00:30:00Z", 5, "a") + event("2", "2024-03-31T23:30:00Z", 7, "b"));
    Run imp = run("import", "--data", data(), "--tenant", "acme", events.toString());
    assertThat(imp.code()).as(imp.err()).isZero();
    assertThat(imp.out()).contains("read 2, stored 2, duplicates 0, rejected 0");
    assertThat(run("import", "--data", data(), "--tenant", "acme", events.toString()).out())
        .contains("read 2, stored 0, duplicates 2, rejected 0");

    Run json = run("query", "tokens", "--data", data(), "--tenant", "acme", "--from", "2024-03-31", "--to",
        "2024-04-02", "--window-size", "DAY", "--window-time-zone", "Europe/Paris", "--group-by", "model",
        "--format", "json");
    assertThat(json.code()).as(json.err()).isZero();
    JsonNode root = Json.json().readTree(json.out());
    assertThat(root.get("windowSize").asText()).isEqualTo("DAY");
    // Paris: 00:30Z on Mar 31 is 02:30 local on the 23-hour day; 23:30Z is 01:30 on April 1.
    assertThat(root.get("data")).hasSize(2);
    assertThat(root.get("data").get(0).get("windowStart").asText()).isEqualTo("2024-03-30T23:00:00Z");
    assertThat(root.get("data").get(0).get("windowEnd").asText()).isEqualTo("2024-03-31T22:00:00Z");
    assertThat(root.get("data").get(0).get("groupBy").get("model").asText()).isEqualTo("a");
    assertThat(root.get("data").get(1).get("value").asInt()).isEqualTo(7);

    Run csv = run("query", "tokens", "--data", data(), "--tenant", "acme", "--from", "2024-03-01T00:00:00Z", "--to",
        "2024-05-01T00:00:00Z", "--subject", "acme", "--format", "csv");
    assertThat(csv.out()).isEqualTo("windowStart,windowEnd,subject,value\r\n"
        + "2024-03-01T00:00:00Z,2024-05-01T00:00:00Z,acme,12\r\n");
    Run table = run("query", "tokens", "--data", data(), "--tenant", "acme", "--from", "2024-03-01", "--to",
        "2024-05-01", "--filter-group-by", "model=b", "--format", "table");
    assertThat(table.out()).contains("(1 row)").contains(" 7\n");
    Run list = run("meters", "list", "--data", data(), "--tenant", "acme", "--format", "json");
    assertThat(Json.json().readTree(list.out()).get("meters").get(0).get("slug").asText()).isEqualTo("tokens");
    // Another tenant sees none of it.
    assertThat(run("query", "tokens", "--data", data(), "--from", "2024-03-01").err()).contains("no meter 'tokens'");
  }

  @Test
  void badInputIsExitOneWithWhereAndWhat() throws Exception {
    run("meters", "apply", file("meters.yaml", METERS).toString(), "--data", data());
    Path bad = file("bad.ndjson", event("1", "2024-01-01T00:00:00Z", 5, "a") + event("2", "yesterday", 1, "a")
        + event("3", "2024-01-01T00:00:00Z", "\"x\"", "a"));
    Run r = run("import", "--data", data(), bad.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("bad.ndjson: line 2: time: must be an RFC 3339 timestamp")
        .contains("line 3: data.tokens: does not fit meter 'tokens'")
        .contains("nothing from");
    assertThat(r.out()).contains("read 3, stored 0, duplicates 0, rejected 3");

    Run badMeters = run("meters", "apply", file("m.yaml", "meters:\n  - slug: X\n").toString(), "--data", data());
    assertThat(badMeters.code()).isEqualTo(1);
    assertThat(badMeters.err()).contains("meters[0].slug").contains("meters[0].eventType");

    Run badQuery = run("query", "tokens", "--data", data(), "--from", "2024-01-01", "--to", "2023-01-01",
        "--window-size", "WEEK", "--window-time-zone", "Europe/Pariss", "--format", "xml");
    assertThat(badQuery.code()).isEqualTo(1);
    assertThat(badQuery.err()).contains("--window-size", "--window-time-zone", "--format");
    assertThat(run("import", "--data", data(), "--tenant", "Bad Tenant", bad.toString()).err()).contains("tenant");
  }

  @Test
  void importWithFormatFocusLoadsCostDataForReports() {
    Run imp = run("import", "--format", "focus", "--data", data(), "../samples/focus/focus_sample.csv");
    assertThat(imp.code()).as(imp.err()).isZero();
    assertThat(imp.out()).contains("imported 1000 charges");
    Run totals = run("report", "totals", "--by", "ProviderName", "--data", data(), "--format", "csv");
    assertThat(totals.code()).as(totals.err()).isZero();
    assertThat(totals.out()).contains("AWS", "Microsoft", "Oracle");
    Run bad = run("import", "--format", "gcp", "--data", data(), "../samples/focus/focus_sample.csv");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("--format", "must be events, focus, azure");
  }

  @Test
  void demoLoadsAndItsSuggestedQueriesAnswer() {
    Run demo = run("demo", "--data", data(), "--customers", "2");
    assertThat(demo.code()).as(demo.err()).isZero();
    assertThat(demo.out()).contains("Demo tenant 'demo'").contains("./tally query ai_tokens");
    Run again = run("demo", "--data", data(), "--customers", "2");
    assertThat(again.out()).contains(" 0 stored");
    for (String line : demo.out().lines().filter(l -> l.startsWith("  ./tally ")).toList()) {
      String[] args = line.trim().substring("./tally ".length()).split(" +");
      Run r = run(args);
      assertThat(r.code()).as(line + "\n" + r.err()).isZero();
      assertThat(r.out()).as(line).isNotBlank();
    }
  }

  @Test
  void userErrorsExitOneAndDefectsExitThreeWithTheirStack() {
    // One error channel: input a person got wrong is a TallyException of a user code (exit 1, no stack); anything
    // else, an IllegalArgumentException from a record's own check included, is a defect (exit 3, with its stack).
    Run badPort = run("serve", "--data", data(), "--port", "70000");
    assertThat(badPort.code()).as(badPort.err()).isEqualTo(TallyCli.EXIT_INPUT);
    assertThat(badPort.err()).contains("port", "must be 0-65535").doesNotContain("\tat ");

    assertThat(TallyCli.exitCode(new IllegalArgumentException("a record's invariant"))).isEqualTo(TallyCli.EXIT_INTERNAL);
    StringWriter err = new StringWriter();
    TallyCli.report(new IllegalArgumentException("a record's invariant"), new PrintWriter(err));
    assertThat(err.toString()).startsWith("internal error: ").contains("a record's invariant", "\tat ");
  }

  @Test
  void theStoresFieldsArePrintedAsTheFlagsThatGaveThem() {
    // The store names a budget's problems by field (amount, threshold); the CLI prints the flag (Flags), HTTP the
    // JSON field (CostAdminRoutesTest).
    Run amount = run("budget", "create", "ops", "--data", data(), "--amount=-5");
    assertThat(amount.code()).as(amount.err()).isEqualTo(TallyCli.EXIT_INPUT);
    assertThat(amount.err()).contains("--amount", "must be positive");
    Run threshold = run("budget", "create", "ops", "--data", data(), "--amount", "5", "--threshold", "50:someday");
    assertThat(threshold.code()).as(threshold.err()).isEqualTo(TallyCli.EXIT_INPUT);
    assertThat(threshold.err()).contains("--threshold", "basis must be actual or forecast");
  }

  @Test
  void importAndExportProblemsArePrintedAsTheirFlags() throws Exception {
    // The importer names a mapping's problem mapping.colour and the export its range from/to (the server's JSON
    // fields); the CLI prints --map colour and --from.
    Path csv = file("e.csv", "request_id,at\nr1,2024-01-01T00:00:00Z\n");
    Run mapping = run("import", "--data", data(), "--map", "id=request_id", "--map", "colour=x", csv.toString());
    assertThat(mapping.code()).as(mapping.err()).isEqualTo(TallyCli.EXIT_INPUT);
    assertThat(mapping.err()).contains("--map colour: is not an event attribute", "--map subject: is required")
        .doesNotContain("mapping.");
    Run range = run("export", "parquet", "--data", data(), "--out", dir.resolve("lake").toString(),
        "--from", "2024-02-01", "--to", "2024-01-01");
    assertThat(range.code()).as(range.err()).isEqualTo(TallyCli.EXIT_INPUT);
    assertThat(range.err()).contains("--from: must be before 'to'");
  }
}
