package dev.tally.server.pricing;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.ErrorCode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.json.Json;
import dev.tally.core.pricing.Customer;
import dev.tally.core.time.Timestamps;
import dev.tally.server.spi.Access;
import dev.tally.server.spi.ApiRoutes;
import dev.tally.server.spi.JsonFields;
import dev.tally.server.spi.Routes;
import dev.tally.store.pricing.CatalogStore;
import dev.tally.store.pricing.InvoiceExplainer;
import dev.tally.store.pricing.InvoiceExport;
import dev.tally.store.pricing.PricingStore;
import dev.tally.store.pricing.Simulator;
import dev.tally.store.pricing.StoredInvoice;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pricing over HTTP, for the caller's tenant: the catalogue, invoice runs, invoices, explanations, simulation and
 * export. Every answer is JSON except the CSV exports; errors are {@code application/problem+json} through the
 * server's usual rendering of {@link TallyException}.
 *
 * <ul>
 *   <li>{@code PUT /api/v1/catalog}: apply a catalogue file (YAML or JSON body), as {@code tally catalog apply};
 *   <li>{@code GET /api/v1/catalog/{section}} and {@code GET /api/v1/catalog/{section}/{id}}: read it back, as
 *       declared; a wallet with its balance and ledger;
 *   <li>{@code POST /api/v1/invoice-runs} {@code {"period": "2024-04", "customers": [...], "asOf": T}}: run
 *       invoices; each succeeds or fails alone, failures are listed with why;
 *   <li>{@code GET /api/v1/invoices?period=&customer=&format=json|csv|focus}: list or export;
 *   <li>{@code GET /api/v1/invoices/{invoice}}: one invoice's document, by number or id;
 *   <li>{@code GET /api/v1/invoices/{invoice}/explain?line=N}: explanations;
 *   <li>{@code GET /api/v1/invoices/{invoice}/lines/{line}/events?limit=N}: the events behind a quantity;
 *   <li>{@code POST /api/v1/simulations} {@code {"plan", "from", "to", "customers"}}: re-rate under another plan;
 *   <li>{@code POST /api/v1/invoices/{invoice}/void} {@code {"reason"}}: void a final invoice;
 *   <li>{@code POST /api/v1/invoices/{invoice}/credit-notes} {@code {"lines" | "amount", "reason"}}: credit it;
 *   <li>{@code GET /api/v1/credit-notes?invoice=}: credit notes.
 * </ul>
 * Portal tokens see none of this: invoices are the tenant's business, not one subject's.
 */
public final class PricingRoutes implements ApiRoutes {
  static final String CATALOG = "/api/v1/catalog";
  static final String SECTION = "/api/v1/catalog/{section}";
  static final String ENTITY = "/api/v1/catalog/{section}/{id}";
  static final String RUNS = "/api/v1/invoice-runs";
  static final String INVOICES = "/api/v1/invoices";
  static final String INVOICE = "/api/v1/invoices/{invoice}";
  static final String EXPLAIN = "/api/v1/invoices/{invoice}/explain";
  static final String EVENTS = "/api/v1/invoices/{invoice}/lines/{line}/events";
  static final String SIMULATIONS = "/api/v1/simulations";
  static final String VOID = "/api/v1/invoices/{invoice}/void";
  static final String INVOICE_CREDIT_NOTES = "/api/v1/invoices/{invoice}/credit-notes";
  static final String CREDIT_NOTES = "/api/v1/credit-notes";

  /** Largest catalogue body accepted. */
  static final int MAX_CATALOG = 4 << 20;

  private final PricingStore pricing;

  public PricingRoutes(PricingStore pricing) {
    this.pricing = requireNonNull(pricing, "pricing is null");
  }

  @Override
  public void register(Routes routes) {
    routes.put(CATALOG, Access.WRITE, this::applyCatalog);
    routes.get(SECTION, Access.READ, this::listSection);
    routes.get(ENTITY, Access.READ, this::showEntity);
    routes.post(RUNS, Access.WRITE, this::run);
    routes.get(INVOICES, Access.READ, this::list);
    routes.get(INVOICE, Access.READ, this::show);
    routes.get(EXPLAIN, Access.READ, this::explain);
    routes.get(EVENTS, Access.READ, this::events);
    routes.post(SIMULATIONS, Access.READ, this::simulate);
    routes.post(VOID, Access.WRITE, this::voidInvoice);
    routes.post(INVOICE_CREDIT_NOTES, Access.WRITE, this::credit);
    routes.get(CREDIT_NOTES, Access.READ, this::creditNotes);
  }

  private void applyCatalog(Context ctx) {
    String tenant = Routes.principal(ctx).tenant();
    byte[] body = ctx.bodyAsBytes();
    if (body.length > MAX_CATALOG) {
      throw new TallyException(ErrorCode.TOO_LARGE, "a catalogue may be at most " + MAX_CATALOG + " bytes");
    }
    CatalogStore.ApplyResult r = pricing.catalog().apply(tenant, new String(body, StandardCharsets.UTF_8), "body");
    ObjectNode out = Json.json().createObjectNode();
    out.set("created", Json.json().valueToTree(r.created()));
    out.set("replaced", Json.json().valueToTree(r.replaced()));
    out.set("unchanged", Json.json().valueToTree(r.unchanged()));
    json(ctx, 200, out);
  }

  /** One section as declared, {@code {"customers": [...]}}: a catalogue body that applies again unchanged. */
  private void listSection(Context ctx) {
    String tenant = Routes.principal(ctx).tenant();
    String section = ctx.pathParam("section");
    ObjectNode out = Json.json().createObjectNode();
    ArrayNode a = out.putArray(section);
    pricing.catalog().list(tenant, section).forEach(e -> a.add(e.declared()));
    json(ctx, 200, out);
  }

  /** One entity as declared; a wallet with its balance and ledger. */
  private void showEntity(Context ctx) {
    String tenant = Routes.principal(ctx).tenant();
    String section = ctx.pathParam("section");
    String id = ctx.pathParam("id");
    CatalogStore.Entry e = pricing.catalog().require(tenant, section, id);
    ObjectNode out = Json.json().createObjectNode();
    out.put("section", e.section());
    out.put("id", e.id());
    out.put("updatedAt", e.updatedAt().toString());
    out.set("declared", e.declared());
    if (section.equals("wallets")) {
      ObjectNode l = pricing.wallets().ledger(tenant, id).toJson();
      out.set("balance", l.get("balance"));
      out.set("balanceOn", l.get("on"));
      out.set("ledger", l.get("ledger"));
    }
    json(ctx, 200, out);
  }

  private void run(Context ctx) {
    String tenant = Routes.principal(ctx).tenant();
    JsonNode body = body(ctx);
    YearMonth month = month(JsonFields.text(body, "period"));
    Optional<Instant> asOf = JsonFields.optionalText(body, "asOf").map(PricingRoutes::asOf);
    // 200 even when some invoices failed: the run happened and wrote the others; each failure says why.
    Set<String> customers = new LinkedHashSet<>(JsonFields.strings(body, "customers"));
    json(ctx, 200, pricing.runner().run(tenant, month, customers, asOf).toJson());
  }

  private void list(Context ctx) {
    String tenant = Routes.principal(ctx).tenant();
    Optional<YearMonth> month = Optional.ofNullable(ctx.queryParam("period")).map(PricingRoutes::month);
    List<StoredInvoice> list = pricing.invoices().list(tenant, month, Optional.ofNullable(ctx.queryParam("customer")));
    String format = Optional.ofNullable(ctx.queryParam("format")).orElse("json").toLowerCase(Locale.ROOT);
    switch (format) {
      case "json" -> {
        ArrayNode out = Json.json().createArrayNode();
        list.forEach(i -> out.add(summary(i)));
        json(ctx, 200, out);
      }
      case "csv" -> csv(ctx, InvoiceExport.csv(list));
      case "focus" -> csv(ctx, InvoiceExport.focus(list, pricing.corrections().list(tenant, Optional.empty()),
          pricing.catalog().load(tenant).customers().stream().collect(Collectors.toMap(Customer::id,
              Customer::name))));
      default -> throw TallyException.invalid(Problem.of("format", "must be json, csv or focus", format));
    }
  }

  private void show(Context ctx) {
    String tenant = Routes.principal(ctx).tenant();
    json(ctx, 200, pricing.invoices().require(tenant, ctx.pathParam("invoice")).doc());
  }

  private void explain(Context ctx) {
    String tenant = Routes.principal(ctx).tenant();
    String line = ctx.queryParam("line");
    OptionalInt n = line == null ? OptionalInt.empty() : OptionalInt.of(integer("line", line));
    json(ctx, 200, pricing.explainer().explain(tenant, ctx.pathParam("invoice"), n));
  }

  private void events(Context ctx) {
    String tenant = Routes.principal(ctx).tenant();
    int limit = Optional.ofNullable(ctx.queryParam("limit")).map(l -> integer("limit", l)).orElse(1000);
    ArrayNode out = Json.json().createArrayNode();
    for (InvoiceExplainer.EventRow r : pricing.explainer().events(tenant, ctx.pathParam("invoice"),
        integer("line", ctx.pathParam("line")), limit)) {
      ObjectNode e = out.addObject();
      e.put("source", r.source());
      e.put("id", r.id());
      e.put("subject", r.subject());
      e.put("time", r.time().toString());
      r.value().ifPresentOrElse(v -> e.put("value", v.stripTrailingZeros()), () -> e.putNull("value"));
      e.set("data", parse(r.data()));
    }
    json(ctx, 200, out);
  }

  private void simulate(Context ctx) {
    String tenant = Routes.principal(ctx).tenant();
    JsonNode body = body(ctx);
    Simulator.Result r = pricing.simulator().simulate(tenant, JsonFields.text(body, "plan"),
        date("from", JsonFields.text(body, "from")), date("to", JsonFields.text(body, "to")),
        new LinkedHashSet<>(JsonFields.strings(body, "customers")));
    ObjectNode out = Json.json().createObjectNode();
    out.put("plan", r.plan());
    out.put("from", r.from().toString());
    out.put("to", r.to().toString());
    ArrayNode cs = out.putArray("customers");
    for (Simulator.CustomerResult c : r.customers()) {
      ObjectNode o = cs.addObject();
      o.put("customer", c.customer());
      o.put("currency", c.currency());
      o.put("invoiced", c.actual());
      o.put("simulated", c.simulated());
      o.put("difference", c.difference());
      ArrayNode ps = o.putArray("periods");
      for (Simulator.PeriodResult p : c.periods()) {
        ObjectNode po = ps.addObject();
        po.put("invoice", p.invoice());
        p.number().ifPresentOrElse(num -> po.put("number", num), () -> po.putNull("number"));
        po.put("invoiced", p.invoiced());
        po.put("actual", p.actual());
        po.put("simulated", p.simulated());
      }
    }
    out.set("difference", Json.json().valueToTree(r.differenceByCurrency()));
    json(ctx, 200, out);
  }

  /** {@code {"reason": "..."}}: marks a final invoice void; answers its document with the void mark. */
  private void voidInvoice(Context ctx) {
    String tenant = Routes.principal(ctx).tenant();
    JsonNode body = body(ctx);
    String reason = JsonFields.optionalText(body, "reason").orElse(null);
    json(ctx, 200, pricing.corrections().voidInvoice(tenant, ctx.pathParam("invoice"), reason).doc());
  }

  /** {@code {"lines": [2, 3], "reason": "..."}} or {@code {"amount": "10.00", "reason": "..."}}: a credit note. */
  private void credit(Context ctx) {
    String tenant = Routes.principal(ctx).tenant();
    JsonNode body = body(ctx);
    List<Integer> lines = new java.util.ArrayList<>();
    JsonNode ls = body.get("lines");
    if (ls != null && !ls.isNull()) {
      if (!ls.isArray()) {
        throw TallyException.invalid(Problem.of("lines", "must be a list of line numbers"));
      }
      for (int i = 0; i < ls.size(); i++) {
        if (!ls.get(i).canConvertToInt() || !ls.get(i).isIntegralNumber()) {
          throw TallyException.invalid(Problem.of("lines[" + i + "]", "must be a line number", ls.get(i).toString()));
        }
        lines.add(ls.get(i).asInt());
      }
    }
    Optional<java.math.BigDecimal> amount = Optional.empty();
    JsonNode a = body.get("amount");
    if (a != null && !a.isNull()) {
      try {
        amount = Optional.of(a.isNumber() ? a.decimalValue() : new java.math.BigDecimal(a.asText().trim()));
      } catch (NumberFormatException e) {
        throw TallyException.invalid(Problem.of("amount", "must be a decimal number such as \"10.00\"", a.asText()));
      }
    }
    json(ctx, 201, pricing.corrections().credit(tenant, ctx.pathParam("invoice"), lines, amount,
        JsonFields.optionalText(body, "reason").orElse(null)).doc());
  }

  private void creditNotes(Context ctx) {
    String tenant = Routes.principal(ctx).tenant();
    ArrayNode out = Json.json().createArrayNode();
    pricing.corrections().list(tenant, Optional.ofNullable(ctx.queryParam("invoice"))).forEach(n -> out.add(n.doc()));
    json(ctx, 200, out);
  }

  private static ObjectNode summary(StoredInvoice i) {
    ObjectNode n = Json.json().createObjectNode();
    n.put("invoice", i.reference());
    n.put("id", i.id());
    i.number().ifPresentOrElse(num -> n.put("number", num), () -> n.putNull("number"));
    n.put("status", i.status().label());
    n.put("customer", i.customer());
    n.put("subscription", i.subscription());
    i.putTerms(n);
    return n;
  }

  private static JsonNode body(Context ctx) {
    JsonNode n = parse(ctx.body().isBlank() ? "{}" : ctx.body());
    if (!n.isObject()) {
      throw TallyException.invalid(Problem.of("body", "must be a JSON object"));
    }
    return n;
  }

  private static JsonNode parse(String json) {
    try {
      return Json.json().readTree(json);
    } catch (JsonProcessingException e) {
      throw TallyException.invalid(Problem.of("body", "is not valid JSON: " + e.getOriginalMessage()));
    }
  }

  /** An RFC 3339 time, or a date taken as its start in UTC. */
  private static Instant asOf(String s) {
    try {
      return s.trim().length() == 10 ? LocalDate.parse(s.trim()).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
          : Timestamps.parse(s);
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw TallyException.invalid(Problem.of("asOf", "must be an RFC 3339 time such as 2024-05-04T00:00:00Z or a "
          + "date YYYY-MM-DD", s));
    }
  }

  private static YearMonth month(String s) {
    try {
      return YearMonth.parse(s);
    } catch (DateTimeParseException e) {
      throw TallyException.invalid(Problem.of("period", "must be a month YYYY-MM, such as 2024-04", s));
    }
  }

  private static LocalDate date(String field, String s) {
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw TallyException.invalid(Problem.of(field, "must be a date YYYY-MM-DD", s));
    }
  }

  private static int integer(String field, String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw TallyException.invalid(Problem.of(field, "must be a whole number", s));
    }
  }

  private static void json(Context ctx, int status, JsonNode body) {
    try {
      ctx.status(status).contentType("application/json").result(Json.json().writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new TallyException(ErrorCode.INTERNAL, "cannot write JSON: " + e.getMessage(), e);
    }
  }

  private static void csv(Context ctx, String text) {
    ctx.status(200).contentType("text/csv; charset=utf-8").result(text);
  }
}
