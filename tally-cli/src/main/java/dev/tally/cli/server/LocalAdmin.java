package dev.tally.cli.server;

import dev.tally.cli.common.DataOptions;
import dev.tally.server.auth.ApiKeys;
import dev.tally.server.auth.CreatedKey;
import dev.tally.server.auth.KeyKind;
import dev.tally.store.TallyStore;
import dev.tally.store.export.ExportReport;
import dev.tally.store.export.LakeExport;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Administration directly on the store, when no server holds it. */
final class LocalAdmin implements Admin {
  private final TallyStore store;
  private final ApiKeys keys;
  private final Path dataDir;

  LocalAdmin(Path dataDir) {
    this.dataDir = dataDir;
    this.store = DataOptions.openLoaded(dataDir);
    try {
      this.keys = ApiKeys.open(store);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  @Override
  public boolean createTenant(String id) {
    return store.ensureTenant(id);
  }

  @Override
  public List<String> tenants() {
    return store.tenants();
  }

  @Override
  public Created createKey(String tenant, KeyKind kind) {
    CreatedKey k = keys.create(tenant, kind);
    return new Created(KeyRow.of(k.key()), k.secret());
  }

  @Override
  public List<KeyRow> keys(Optional<String> tenant) {
    return keys.list(tenant).stream().map(KeyRow::of).toList();
  }

  @Override
  public KeyRow revoke(String idOrPrefix) {
    return KeyRow.of(keys.revoke(idOrPrefix));
  }

  @Override
  public ExportReport export(LakeExport.Request request) {
    return new LakeExport(store).export(request);
  }

  @Override
  public String where() {
    return "in " + dataDir;
  }

  @Override
  public void close() {
    store.close();
  }
}
