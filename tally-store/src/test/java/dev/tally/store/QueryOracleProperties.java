package dev.tally.store;

import dev.tally.store.QueryOracle.Case;
import java.io.IOException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * For random events, meters, windows, zones, groupings and filters, the store's answer equals a naive in-memory
 * computation written straight from the documented semantics ({@link QueryOracle}).
 */
class QueryOracleProperties {
  private static OracleStore oracle;

  @BeforeContainer
  static void open() throws IOException {
    oracle = new OracleStore("tally-oracle");
  }

  @AfterContainer
  static void close() throws IOException {
    oracle.close();
  }

  @Property(tries = 150)
  void storeAgreesWithTheOracle(@ForAll(supplier = QueryOracle.Cases.class) Case c) {
    String tenant = oracle.load(c);
    QueryOracle.assertAgrees(c, oracle.store().queries().query(tenant, QueryOracle.query(c)));
  }
}
