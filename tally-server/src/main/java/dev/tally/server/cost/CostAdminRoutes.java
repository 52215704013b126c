package dev.tally.server.cost;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.cost.ChargeScope;
import dev.tally.core.json.Json;
import dev.tally.server.spi.Access;
import dev.tally.server.spi.ApiRoutes;
import dev.tally.server.spi.JsonFields;
import dev.tally.server.spi.Routes;
import dev.tally.store.cost.Budget;
import dev.tally.store.cost.CostFilter;
import dev.tally.store.cost.CostFormat;
import dev.tally.store.cost.CostStore;
import dev.tally.store.cost.ImportOutcome;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What changes a tenant's cost data over HTTP, so that a running {@code tally serve} (which holds the store) needs no
 * stop for it: {@code POST /api/v1/cost/imports} (a bill as the request body), {@code POST /api/v1/budgets},
 * {@code DELETE /api/v1/budgets/{budget}} and {@code PUT /api/v1/alerts/webhook}. Each needs a full key; each refuses
 * bad input with {@code 400 application/problem+json} naming the field (for a bill, the row and column) and stores
 * nothing of it.
 */
public final class CostAdminRoutes implements ApiRoutes {
  static final String IMPORTS = "/api/v1/cost/imports";
  static final String BUDGET = "/api/v1/budgets/{budget}";
  static final String WEBHOOK = "/api/v1/alerts/webhook";

  /** The largest bill accepted in one request; larger files are imported with {@code tally cost import}. */
  static final long MAX_BILL_BYTES = 1L << 30;

  // A file name for messages only: no directories, nothing a shell or a log would misread.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  private final CostStore cost;

  public CostAdminRoutes(CostStore cost) {
    this.cost = requireNonNull(cost, "cost is null");
  }

  @Override
  public void register(Routes routes) {
    routes.post(IMPORTS, Access.WRITE, this::importBill);
    routes.post(CostRoutes.BUDGETS, Access.WRITE, this::createBudget);
    routes.delete(BUDGET, Access.WRITE, this::deleteBudget);
    routes.put(WEBHOOK, Access.WRITE, this::setWebhook);
  }

  /**
   * The body is the file's bytes (CSV, gzip CSV or Parquet, told apart by their bytes as on the command line); the
   * query names the format ({@code focus} by default, {@code azure}, {@code aws}), whether it restates its billing
   * periods ({@code replace=true}), a name for messages ({@code name}, default {@code upload}) and headers to read
   * under another name ({@code column=Kosten=PreTaxCost}, repeatable, as {@code tally cost import --column}).
   */
  private void importBill(Context ctx) {
    String tenant = Routes.principal(ctx).tenant();
    CostFormat format = CostRoutes.parse(ctx, "format", false, CostFormat::parse).orElse(CostFormat.FOCUS);
    boolean replace = CostRoutes.parse(ctx, "replace", false, CostAdminRoutes::bool).orElse(false);
    String name = CostRoutes.parse(ctx, "name", false, CostAdminRoutes::fileName).orElse("upload");
    Map<String, String> columns = columns(ctx.queryParams("column"));
    if (ctx.req().getContentLengthLong() > MAX_BILL_BYTES) {
      // Said before reading a byte; a body without a length is cut off by the importer at the same limit.
      throw new TallyException(ErrorCode.TOO_LARGE, "a bill sent over HTTP may be at most " + MAX_BILL_BYTES
          + " bytes; import larger files with 'tally cost import'", List.of(Problem.of("body",
          "is over the limit of " + MAX_BILL_BYTES + " bytes")));
    }
    try (InputStream body = ctx.req().getInputStream()) {
      ImportOutcome o = cost.importer().importStream(tenant, name, body, MAX_BILL_BYTES, format, replace,
          columns);
      json(ctx, o.alreadyImported() ? 200 : 201, outcome(o, name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the uploaded bill", e);
    }
  }

  /** The {@code column=HEADER=NAME} parameters, by header; the first {@code =} parts the two. */
  private static Map<String, String> columns(List<String> given) {
    Map<String, String> out = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    for (String g : given) {
      int eq = g.indexOf('=');
      if (eq <= 0 || eq == g.length() - 1) {
        problems.add(Problem.of("column", "must be HEADER=NAME: the file's header, '=', and the column name the "
            + "format reads (column=Kosten=PreTaxCost)", g));
      } else if (out.putIfAbsent(g.substring(0, eq), g.substring(eq + 1)) != null) {
        problems.add(Problem.of("column", "names the header '" + g.substring(0, eq) + "' twice", g));
      }
    }
    if (!problems.isEmpty()) {
      throw TallyException.invalid(problems.get(0).message(), problems);
    }
    return out;
  }

  private static ObjectNode outcome(ImportOutcome o, String name) {
    ObjectNode n = Json.json().createObjectNode();
    n.put("file", name);
    n.put("format", o.format().label());
    n.put("focusVersion", o.focusVersion());
    n.put("importId", o.importId());
    n.put("alreadyImported", o.alreadyImported());
    n.put("rows", o.rows());
    n.put("billedTotal", o.billedTotal());
    n.set("normalised", Json.json().valueToTree(o.normalised()));
    ObjectNode r = n.putObject("replaced");
    r.put("rows", o.replaced().rows());
    r.put("billedTotal", o.replaced().billedTotal());
    r.set("imports", Json.json().valueToTree(o.replaced().imports()));
    n.put("costBasis", o.basis().label());
    ObjectNode rounded = n.putObject("rounded");
    rounded.set("columns", Json.json().valueToTree(o.rounded().columns()));
    rounded.put("billedChange", o.rounded().billedChange());
    return n;
  }

  /**
   * A JSON object: {@code name}, {@code amount} (a number or a decimal string), {@code period} ({@code monthly},
   * {@code quarterly}, {@code yearly}; default monthly), {@code charges} ({@code all}, {@code usage},
   * {@code non-usage}; default all), {@code filters} (["COL=VALUE", ...]) and {@code thresholds}
   * (["50", "80", "100:forecast"]; default 50, 80, 100 and 100:forecast), as {@code tally budget create}.
   */
  private void createBudget(Context ctx) {
    String tenant = Routes.principal(ctx).tenant();
    JsonNode body = body(ctx);
    String name = JsonFields.text(body, "name");
    BigDecimal amount = amount(body);
    String period = JsonFields.optionalText(body, "period").orElse(null);
    String charges = JsonFields.optionalText(body, "charges").orElse(null);
    List<CostFilter> filters = new ArrayList<>();
    for (String f : JsonFields.strings(body, "filters")) {
      filters.add(CostFilter.parse("filters", f));
    }
    List<Budget.Threshold> thresholds = new ArrayList<>();
    for (String t : JsonFields.strings(body, "thresholds")) {
      thresholds.add(asJsonFields(() -> field("thresholds", t, Budget.Threshold::parse)));
    }
    Budget budget = asJsonFields(() -> new Budget(name, field("period", period == null ? "monthly" : period,
        Budget::period), amount, field("charges", charges == null ? "all" : charges, ChargeScope::parse), filters,
        thresholds.isEmpty() ? Budget.defaultThresholds() : thresholds));
    cost.budgets().create(tenant, budget);
    ObjectNode out = Json.json().createObjectNode();
    out.put("name", budget.name());
    out.put("amount", budget.amount());
    out.put("period", Budget.periodLabel(budget.period()));
    out.put("charges", charges == null ? "all" : charges);
    out.set("filters", Json.json().valueToTree(JsonFields.strings(body, "filters")));
    out.set("thresholds", Json.json().valueToTree(budget.thresholds().stream().map(Object::toString).toList()));
    json(ctx, 201, out);
  }

  private void deleteBudget(Context ctx) {
    cost.budgets().delete(Routes.principal(ctx).tenant(), ctx.pathParam("budget"));
    ctx.status(204);
  }

  /** {@code {"url": "https://...", "secret": "at least 16 characters"}}: where alerts go and what signs them. */
  private void setWebhook(Context ctx) {
    String tenant = Routes.principal(ctx).tenant();
    JsonNode body = body(ctx);
    String url = JsonFields.text(body, "url");
    cost.alerts().webhook(tenant, url, JsonFields.text(body, "secret"));
    ObjectNode out = Json.json().createObjectNode();
    out.put("url", url);
    json(ctx, 200, out);
  }

  /**
   * Runs what validates a budget, renaming the store's fields in its problems where the request's JSON names them
   * otherwise ({@code threshold} is an element of {@code thresholds}): the same checks serve the CLI and HTTP, each
   * edge names its own input.
   */
  private static <T> T asJsonFields(java.util.function.Supplier<T> validated) {
    try {
      return validated.get();
    } catch (TallyException e) {
      if (e.problems().stream().noneMatch(p -> JSON_FIELDS.containsKey(p.field()))) {
        throw e;
      }
      List<Problem> renamed = e.problems().stream().map(p -> new Problem(p.index(), p.line(),
          JSON_FIELDS.getOrDefault(p.field(), p.field()), p.message(), p.given())).toList();
      throw new TallyException(e.code(), renamed.get(0).describe(), renamed, e);
    }
  }

  private static final java.util.Map<String, String> JSON_FIELDS = java.util.Map.of("threshold", "thresholds",
      "filter", "filters");

  private static boolean bool(String s) {
    return switch (s) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  private static String fileName(String s) {
    if (!NAME.matcher(s).matches()) {
      throw new IllegalArgumentException("must be a plain file name (letters, digits, '_', '.', '-')");
    }
    return s;
  }

  private static <T> T field(String field, String value, java.util.function.Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw TallyException.invalid(Problem.of(field, e.getMessage(), value));
    }
  }

  private static JsonNode body(Context ctx) {
    JsonNode n;
    try {
      n = Json.json().readTree(ctx.body().isBlank() ? "{}" : ctx.body());
    } catch (JsonProcessingException e) {
      throw TallyException.invalid(Problem.of("body", "is not valid JSON: " + e.getOriginalMessage()));
    }
    if (!n.isObject()) {
      throw TallyException.invalid(Problem.of("body", "must be a JSON object"));
    }
    return n;
  }

  /** A number or a decimal string; exact either way (the JSON reader keeps decimals as BigDecimal). */
  private static BigDecimal amount(JsonNode body) {
    JsonNode v = body.get("amount");
    if (v == null || v.isNull()) {
      throw TallyException.invalid(Problem.of("amount", "is required"));
    }
    if (v.isNumber()) {
      return v.decimalValue();
    }
    if (v.isTextual()) {
      return field("amount", v.textValue(), BigDecimal::new);
    }
    throw TallyException.invalid(Problem.of("amount", "must be a number", v.toString()));
  }

  private static void json(Context ctx, int status, JsonNode body) {
    ctx.status(status);
    ctx.contentType("application/json");
    ctx.result(body.toString());
  }
}
