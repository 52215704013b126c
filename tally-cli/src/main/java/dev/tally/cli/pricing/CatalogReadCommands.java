package dev.tally.cli.pricing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.api.Problem;
import dev.tally.api.TallyException;
import dev.tally.core.format.Decimals;
import dev.tally.core.format.TextTable;
import dev.tally.core.json.Json;
import dev.tally.core.pricing.Catalog;
import dev.tally.core.pricing.Coupon;
import dev.tally.core.pricing.CouponRedemption;
import dev.tally.core.pricing.CreditWallet;
import dev.tally.core.pricing.Customer;
import dev.tally.core.pricing.Discount;
import dev.tally.core.pricing.PlanVersion;
import dev.tally.core.pricing.Subscription;
import dev.tally.options.FormatOption;
import dev.tally.options.Output;
import dev.tally.options.OutputFormat;
import dev.tally.store.pricing.CatalogStore;
import dev.tally.store.pricing.PricingStore;
import dev.tally.store.pricing.WalletLedger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Reading the catalogue back: {@code tally catalog list SECTION} and {@code tally catalog show [SECTION ID]}, as a
 * table, CSV or JSON. JSON gives each entity exactly as it was declared (so {@code list --format json} applies again
 * unchanged); a wallet's JSON and table add its balance and ledger.
 */
final class CatalogReadCommands {
  private CatalogReadCommands() {}

  /** {@code tally catalog list SECTION}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = {
      "List one section of the catalogue: customers, plans, subscriptions, discounts, coupons or wallets.",
      "JSON is the section as declared ({\"customers\": [...]}), a catalogue file that applies again unchanged;",
      "the wallets table adds each wallet's balance."})
  static final class ListSection extends PricingCommand {
    @Parameters(index = "0", paramLabel = "SECTION",
        description = "customers, plans, subscriptions, discounts, coupons or wallets.")
    String section;

    @Mixin FormatOption.Table format;

    @Override
    void check() {
      CatalogStore.checkSection(section());
    }

    private String section() {
      return section.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    int run(Session s, OutputFormat f) {
      if (f == OutputFormat.JSON) {
        ObjectNode root = Json.json().createObjectNode();
        ArrayNode a = root.putArray(section());
        s.pricing().catalog().list(s.tenant(), section()).forEach(e -> a.add(e.declared()));
        s.out().print(Output.json(root));
      } else {
        s.out().print(table(s.pricing(), s.tenant(), section()).render(f));
      }
      return 0;
    }
  }

  /** {@code tally catalog show [SECTION ID]}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = {
      "Without arguments: the tenant's plans and subscriptions and how many of the rest.",
      "With SECTION and ID: one entity as declared (YAML, or --format json); a wallet with its balance and ledger."})
  static final class Show extends PricingCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SECTION",
        description = "customers, plans, subscriptions, discounts, coupons or wallets.")
    String section;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID",
        description = "The entity's id (plan@version for plans, the code for coupons).")
    String id;

    @Mixin FormatOption.JsonOrTable format;

    @Override
    void check() {
      if (section != null && id == null) {
        throw TallyException.invalid(Problem.of("ID", "is required with a SECTION ('tally catalog list " + section
            + "' shows the ids)"));
      }
    }

    @Override
    int run(Session s, OutputFormat f) {
      PricingStore p = s.pricing();
      if (section == null) {
        s.out().print(summary(p.catalog().load(s.tenant())));
        return 0;
      }
      String sec = section.trim().toLowerCase(Locale.ROOT);
      CatalogStore.Entry e = p.catalog().require(s.tenant(), sec, id);
      Optional<WalletLedger.Ledger> ledger = sec.equals("wallets")
          ? Optional.of(p.wallets().ledger(s.tenant(), id)) : Optional.empty();
      s.out().print(f == OutputFormat.JSON ? Output.json(json(e, ledger)) : text(e, ledger));
      return 0;
    }
  }

  /** One entity as JSON: {@code section}, {@code id}, {@code updatedAt}, {@code declared} and a wallet's ledger. */
  static ObjectNode json(CatalogStore.Entry e, Optional<WalletLedger.Ledger> ledger) {
    ObjectNode n = Json.json().createObjectNode();
    n.put("section", e.section());
    n.put("id", e.id());
    n.put("updatedAt", e.updatedAt().toString());
    n.set("declared", e.declared());
    ledger.ifPresent(l -> {
      ObjectNode j = l.toJson();
      n.set("balance", j.get("balance"));
      n.put("balanceOn", l.on().toString());
      n.set("ledger", j.get("ledger"));
    });
    return n;
  }

  static String text(CatalogStore.Entry e, Optional<WalletLedger.Ledger> ledger) {
    StringBuilder sb = new StringBuilder();
    sb.append(e.section()).append(' ').append(e.id()).append(" (applied ").append(e.updatedAt()).append(")\n");
    String yaml = Output.yaml(e.declared());
    sb.append(yaml.startsWith("---\n") ? yaml.substring(4) : yaml);
    ledger.ifPresent(l -> {
      sb.append('\n').append(String.format(Locale.ROOT, "Balance on %s: granted %s, used %s, reserved by drafts %s,"
          + " expired %s, available %s %s%n%n", l.on(), l.granted(), l.used(), l.reserved(), l.expired(),
          l.available(), l.currency()));
      TextTable t = new TextTable(List.of("date", "kind", "amount", "invoice", "balance"),
          new boolean[] {false, false, true, false, true});
      for (WalletLedger.Entry x : l.entries()) {
        t.add(List.of(x.date().toString(), x.kind().name().toLowerCase(Locale.ROOT), x.amount().toPlainString(),
            x.invoiceNumber().or(x::invoiceId).orElse(""), x.balance().toPlainString()));
      }
      sb.append(t);
    });
    return sb.toString();
  }

  /** The summary {@code tally catalog show} printed before sections could be read one by one. */
  private static String summary(Catalog c) {
    StringBuilder sb = new StringBuilder();
    TextTable plans = new TextTable(List.of("plan", "name", "currency", "interval", "charges"),
        new boolean[] {false, false, false, false, true});
    for (PlanVersion p : c.plans()) {
      plans.add(List.of(p.ref(), p.name(), p.currency(), p.interval().label(), Integer.toString(p.charges().size())));
    }
    sb.append(plans).append('\n');
    TextTable subs = new TextTable(List.of("subscription", "customer", "plan", "start", "end", "anchor"),
        new boolean[6]);
    for (Subscription sub : c.subscriptions()) {
      subs.add(List.of(sub.id(), sub.customer(), sub.planRef(), sub.start().toString(),
          sub.end().map(Object::toString).orElse(""), sub.anchor().name().toLowerCase(Locale.ROOT)));
    }
    sb.append(subs);
    sb.append(Map.of("customers", c.customers().size(), "discounts", c.discounts().size(), "coupons",
        c.coupons().size(), "wallets", c.wallets().size()).entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))).append('\n');
    return sb.toString();
  }

  /** One row per entity of a section, the columns people look for first. */
  static Output.Rows table(PricingStore p, String tenant, String section) {
    Catalog c = p.catalog().load(tenant);
    List<List<String>> rows = new ArrayList<>();
    switch (section) {
      case "customers" -> {
        for (Customer cu : c.customers()) {
          rows.add(List.of(cu.id(), cu.name(), cu.currency(), Decimals.plain(cu.taxRatePercent()),
              cu.timeZone().getId(), String.join(" ", cu.subjects()), grace(cu.gracePeriod())));
        }
        return new Output.Rows(List.of("id", "name", "currency", "taxRate", "timeZone", "subjects", "gracePeriod"),
            rows);
      }
      case "plans" -> {
        for (PlanVersion pv : c.plans()) {
          rows.add(List.of(pv.ref(), pv.name(), pv.currency(), pv.interval().label(),
              pv.fixedFee().map(fee -> Decimals.plain(fee.amount()) + " " + fee.timing().name()
                  .toLowerCase(Locale.ROOT)).orElse(""), pv.minimumCommitment().map(Decimals::plain).orElse(""),
              pv.charges().stream().map(ch -> ch.id()).collect(Collectors.joining(" ")), grace(pv.gracePeriod()),
              pv.pricesIncludeTax() ? "include tax" : "before tax"));
        }
        return new Output.Rows(List.of("plan", "name", "currency", "interval", "fixedFee", "minimum", "charges",
            "gracePeriod", "prices"), rows);
      }
      case "subscriptions" -> {
        for (Subscription s : c.subscriptions()) {
          rows.add(List.of(s.id(), s.customer(), s.planRef(), s.start().toString(),
              s.end().map(Object::toString).orElse(""), s.anchor().name().toLowerCase(Locale.ROOT),
              s.coupons().stream().map(CouponRedemption::code).collect(Collectors.joining(" "))));
        }
        return new Output.Rows(List.of("id", "customer", "plan", "start", "end", "anchor", "coupons"), rows);
      }
      case "discounts" -> {
        for (Discount d : c.discounts()) {
          rows.add(List.of(d.id(), d.customer().map(x -> "customer " + x)
              .orElseGet(() -> "subscription " + d.subscription().orElseThrow()), d.reduction().describe(),
              d.charge().orElse("(invoice)"), d.from().toString(), d.to().map(Object::toString).orElse("")));
        }
        return new Output.Rows(List.of("id", "for", "reduction", "charge", "from", "to"), rows);
      }
      case "coupons" -> {
        for (Coupon cp : c.coupons()) {
          rows.add(List.of(cp.code(), cp.reduction().describe(), cp.duration()));
        }
        return new Output.Rows(List.of("code", "reduction", "duration"), rows);
      }
      default -> {
        for (CreditWallet w : c.wallets()) {
          WalletLedger.Ledger l = p.wallets().ledger(tenant, w.id());
          rows.add(List.of(w.id(), w.customer(), l.granted().toPlainString(), l.used().toPlainString(),
              l.reserved().toPlainString(), l.expired().toPlainString(), l.available().toPlainString(), l.currency(),
              Integer.toString(w.priority()), w.grantedOn().toString(),
              w.expiresOn().map(Object::toString).orElse("")));
        }
        return new Output.Rows(List.of("id", "customer", "granted", "used", "reserved", "expired", "available",
            "currency", "priority", "grantedOn", "expiresOn"), rows);
      }
    }
  }

  private static String grace(Optional<Duration> d) {
    return d.map(Duration::toString).orElse("");
  }
}
