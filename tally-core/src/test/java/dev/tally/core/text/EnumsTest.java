package dev.tally.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EnumsTest {
  enum Scope { USAGE, NON_USAGE, ALL }

  enum One { ONLY }

  @Test
  void parsesAnyCaseWithDashesAndBlanks() {
    assertThat(Enums.parse(Scope.class, " non-usage ")).isEqualTo(Scope.NON_USAGE);
    assertThat(Enums.parse(Scope.class, "Non_Usage")).isEqualTo(Scope.NON_USAGE);
    assertThat(Enums.parse(Scope.class, "all")).isEqualTo(Scope.ALL);
  }

  @Test
  void refusesWithTheChoicesNamed() {
    assertThatThrownBy(() -> Enums.parse(Scope.class, "some")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("must be usage, non-usage or all");
    assertThatThrownBy(() -> Enums.parse(Scope.class, null)).hasMessage("must be usage, non-usage or all");
    assertThat(Enums.choices(One.class)).isEqualTo("only");
  }
}
