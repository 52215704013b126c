package dev.tally.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Attacks in the data are shown as text and never run: a meter description, a group-by value, a customer name, a
 * FOCUS service, resource and tag all hold {@code <script>} and {@code "><img onerror=...>}. Portal links keep their
 * token out of the address and see one subject's usage only.
 */
class ConsoleSecurityTest extends BrowserTestBase {
  private void assertNothingRan() {
    assertThat(b.js("return window.tallyXss === undefined;")).isEqualTo(true);
    // Only the page's own scripts and the logo: no element came from the data.
    assertThat(b.all("script").stream().map(e -> e.getDomAttribute("src")).toList())
        .containsExactlyInAnyOrder("/console/vendor/uPlot.iife.min.js", "/console/app.js");
    assertThat(b.all("img").stream().map(e -> e.getDomAttribute("src")).toList()).containsOnly("/console/logo.svg");
    assertThat(b.all("[onerror]")).isEmpty();
    b.assertNoPolicyViolations();
  }

  @Test
  void attacksInNamesAreShownAsTextAndNothingRuns() {
    b.signIn(f.xssKey);
    b.open("#/overview?asOf=2024-12-01");
    assertThat(b.text("body")).contains(ConsoleFixture.SCRIPT);
    assertNothingRan();
    b.open("#/usage?meter=evil&from=2024-11-01&to=2024-12-01&groupBy=kind");
    assertThat(b.text("#usage-chart .u-legend")).contains(ConsoleFixture.SCRIPT).contains(ConsoleFixture.IMG);
    assertNothingRan();
    // The customer's name reaches the cost data through the invoices exported as FOCUS.
    b.open("#/cost?from=2024-11-01&to=2024-12-01&by=SubAccountName&charges=all");
    assertThat(b.text("#breakdown")).contains(ConsoleFixture.SCRIPT + ConsoleFixture.IMG);
    assertNothingRan();
    b.open("#/cost?from=2024-11-01&to=2024-12-01&by=tag:team");
    assertThat(b.text("#breakdown")).contains(ConsoleFixture.IMG);
    b.open("#/cost?from=2024-11-01&to=2024-12-01&by=ServiceName");
    assertThat(b.text("#breakdown")).contains(ConsoleFixture.SCRIPT);
    // Drilling into an attack makes it a filter, still as text.
    b.stale();
    b.all("#breakdown .bar-row").stream().filter(e -> e.getText().contains("<script>")).findFirst().orElseThrow()
        .click();
    b.waitForNext("cost");
    assertThat(b.text("#breadcrumb")).contains(ConsoleFixture.SCRIPT);
    assertThat(b.text("#breakdown")).contains(ConsoleFixture.IMG);
    assertNothingRan();
    JsonNode invoices = f.api("/api/v1/invoices", f.xssKey);
    b.open("#/invoice?id=" + ConsoleFixture.enc(invoices.get(0).get("invoice").asText()) + "&line=1");
    assertThat(b.text("body")).contains(ConsoleFixture.SCRIPT);
    b.screenshot("xss");
    assertNothingRan();
  }

  @Test
  void aPortalLinkShowsOnlyItsSubjectsUsageAndLeavesNoTokenInTheAddress() {
    JsonNode issued = f.post("/api/v1/portal/tokens", f.demoKey,
        "{\"subject\":\"customer-01\",\"allowedMeterSlugs\":[\"ai_tokens\"]}");
    String token = issued.get("token").asText();
    b.d.get(f.base() + "/#/portal?token=" + token);
    b.waitFor("usage");
    assertThat(b.d.getCurrentUrl()).doesNotContain(token).endsWith("#/usage");
    assertThat(b.all("#nav a").stream().map(e -> e.getText()).toList()).containsExactly("Usage");
    assertThat(b.text("#who")).contains("customer-01");
    b.open("#/usage?meter=ai_tokens&from=2024-11-01&to=2024-12-01&window=DAY");
    JsonNode own = f.api("/api/v1/meters/ai_tokens/query?from=2024-11-01&to=2024-12-01&subject=customer-01",
        f.demoKey);
    java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
    for (var tr : b.all(".card table.data tbody tr[data-window]")) {
      sum = sum.add(Browser.number(tr.findElements(org.openqa.selenium.By.tagName("td")).get(1).getText()));
    }
    assertThat(sum).isEqualByComparingTo(own.get("data").get(0).get("value").decimalValue());
    // The tenant's other views are not there for a portal token, not even by address.
    b.js("document.getElementById('view').dataset.state = 'stale'; location.hash = '#/invoices';");
    new org.openqa.selenium.support.ui.WebDriverWait(b.d, java.time.Duration.ofSeconds(10))
        .until(x -> List.of("ready", "error").contains(b.state()));
    assertThat(b.state()).isEqualTo("error");
    b.one("#sign-out").click();
    assertThat(b.js("return sessionStorage.getItem('tally.credential');")).isNull();
  }
}
