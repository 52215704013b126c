package dev.tally.cli.server;

import dev.tally.server.auth.KeyKind;
import dev.tally.store.export.ExportReport;
import dev.tally.store.export.LakeExport;
import java.util.List;
import java.util.Optional;

/**
 * Tenant and key administration, either directly on the store or, while {@code tally serve} holds the store, through
 * the running server's admin routes. {@link Admins#connect} picks.
 */
interface Admin extends AutoCloseable {
  /** Creates a tenant; false if it existed. */
  boolean createTenant(String id);

  List<String> tenants();

  /** A new key; returns its row and, this once, the key itself. */
  Created createKey(String tenant, KeyKind kind);

  List<KeyRow> keys(Optional<String> tenant);

  KeyRow revoke(String idOrPrefix);

  /** Exports the store to a lake (see {@link LakeExport}); the output path is absolute. */
  ExportReport export(LakeExport.Request request);

  /** Where the work is done, for messages. */
  String where();

  @Override
  void close();

  /**
   * A key just created.
   *
   * @param row its description
   * @param key the key itself
   */
  record Created(KeyRow row, String key) {}
}
