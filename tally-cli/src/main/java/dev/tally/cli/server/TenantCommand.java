package dev.tally.cli.server;

import dev.tally.cli.common.DataOptions;
import dev.tally.options.CommandGroup;
import dev.tally.store.TallyStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally tenant create|list}: works on the store, or through {@code tally serve} while it runs. */
@Command(
    name = "tenant",
    mixinStandardHelpOptions = true,
    description = {"Create and list tenants. While 'tally serve' runs on the data directory, this goes through it."},
    subcommands = {TenantCommand.Create.class, TenantCommand.ListTenants.class})
public final class TenantCommand extends CommandGroup {
  /** {@code tally tenant create T}. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a tenant (no-op if it exists).")
  static final class Create implements Callable<Integer> {
    @Mixin DataOptions data;

    @Parameters(paramLabel = "TENANT", description = "Tenant id: lower-case letters, digits, '_' and '-'.")
    String tenant;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      TallyStore.checkTenant(tenant);
      try (Admin admin = Admins.connect(data.dataDir())) {
        boolean created = admin.createTenant(tenant);
        PrintWriter out = spec.commandLine().getOut();
        out.println(created ? "created tenant '" + tenant + "' " + admin.where()
            : "tenant '" + tenant + "' already exists " + admin.where());
      }
      return 0;
    }
  }

  /** {@code tally tenant list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List tenants, one per line.")
  static final class ListTenants implements Callable<Integer> {
    @Mixin DataOptions data;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (Admin admin = Admins.connect(data.dataDir())) {
        admin.tenants().forEach(spec.commandLine().getOut()::println);
      }
      return 0;
    }
  }
}
