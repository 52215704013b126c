package dev.tally.cli.server;

import dev.tally.cli.common.DataOptions;
import dev.tally.cli.common.StoreOptions;
import dev.tally.options.CommandGroup;
import dev.tally.server.auth.KeyKind;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally key create|list|revoke}: works on the store, or through {@code tally serve} while it runs. */
@Command(
    name = "key",
    mixinStandardHelpOptions = true,
    description = {"Create, list and revoke API keys. Keys are stored only as hashes: a key is shown once, when it "
        + "is created. While 'tally serve' runs on the data directory, this goes through it."},
    subcommands = {KeyCommand.Create.class, KeyCommand.ListKeys.class, KeyCommand.Revoke.class})
public final class KeyCommand extends CommandGroup {
  /** {@code tally key create --tenant T [--read-only]}: prints the key alone on stdout. */
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a key for a tenant and print it, alone, on stdout (it cannot be shown again).")
  static final class Create implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Option(names = "--read-only", description = "A key that can only read (events, meters, queries).")
    boolean readOnly;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      String tenant = store.tenant();
      try (Admin admin = Admins.connect(store.dataDir())) {
        Admin.Created created = admin.createKey(tenant, readOnly ? KeyKind.READ_ONLY : KeyKind.FULL);
        spec.commandLine().getOut().println(created.key());
        spec.commandLine().getErr().println("created " + created.row().kind() + " key " + created.row().prefix()
            + " for tenant '" + tenant + "' " + admin.where() + "; it is shown only now");
      }
      return 0;
    }
  }

  /** {@code tally key list [--tenant T]}. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List keys (prefix only), of one tenant with --tenant, else of all.")
  static final class ListKeys implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      boolean oneTenant = spec.commandLine().getParseResult().hasMatchedOption("--tenant");
      try (Admin admin = Admins.connect(store.dataDir())) {
        List<KeyRow> rows = admin.keys(oneTenant ? Optional.of(store.tenant()) : Optional.empty());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-18s %-20s %-9s %-30s %s%n", "PREFIX", "TENANT", "KIND", "CREATED", "REVOKED");
        for (KeyRow r : rows) {
          out.printf("%-18s %-20s %-9s %-30s %s%n", r.prefix(), r.tenant(), r.kind(), r.createdAt(),
              r.revokedAt().orElse("-"));
        }
      }
      return 0;
    }
  }

  /** {@code tally key revoke PREFIX}. */
  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revoke a key, named by its prefix (tly_...) as 'tally key list' shows it.")
  static final class Revoke implements Callable<Integer> {
    @Mixin DataOptions data;

    @Parameters(paramLabel = "PREFIX", description = "The key's prefix or id.")
    String key;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (Admin admin = Admins.connect(data.dataDir())) {
        KeyRow r = admin.revoke(key);
        spec.commandLine().getOut().println("revoked " + r.prefix() + " (tenant '" + r.tenant() + "') " + admin.where());
      }
      return 0;
    }
  }
}
