using Closely.BuildingBlocks.Privacy;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Closely.BuildingBlocks.Persistence;

public static class PersistenceExtensions
{
    public const string ConnectionStringName = "closely";

    /// <summary>
    /// Registers the service's DbContext on <c>ConnectionStrings:closely</c>, with its migrations
    /// history in its own schema, retries on transient failures and a readiness check.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TContext>(this IHostApplicationBuilder builder, string schema)
        where TContext : ServiceDbContext
    {
        var connectionString = PlatformConnectionString(builder.Configuration);
        builder.Services.AddDbContext<TContext>(options => options.UseServiceDatabase(connectionString, schema));
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Npgsql with the service's migrations history in its own schema, retries on transient failures, and the
    /// encryption of <see cref="EncryptedColumns"/>.
    /// </summary>
    public static DbContextOptionsBuilder UseServiceDatabase(this DbContextOptionsBuilder options, string connectionString, string schema) =>
        options.UseNpgsql(connectionString, npgsql => npgsql
                .MigrationsHistoryTable(ServiceDbContext.MigrationsHistoryTable, schema)
                .EnableRetryOnFailure(3))
            .AddInterceptors(EncryptedColumnsInterceptor.Instance);

    public static string PlatformConnectionString(IConfiguration configuration)
    {
        var value = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} is not set. Set it to the platform PostgreSQL database " +
                "(./run.sh and ./test.sh do this for the local server).");
        }

        return value;
    }

    /// <summary>
    /// Runs the service, or one of its maintenance commands and exits:
    /// <list type="bullet">
    /// <item><c>migrate</c> applies the service's EF Core migrations. The migration step runs once before the
    /// services start (./run.sh, the AppHost), so that services never race each other over the schema; EF Core's
    /// migration lock makes a second concurrent run wait rather than collide.</item>
    /// <item><c>reencrypt</c> rewrites every value of the service's encrypted columns that is not yet under the active
    /// key (<see cref="Reencryption"/>), after a new <c>Privacy:ActiveKeyId</c>; exit code 1 when a value does not decrypt.</item>
    /// </list>
    /// </summary>
    public static async Task RunOrMigrateAsync<TContext>(this WebApplication app, string[] args)
        where TContext : ServiceDbContext
    {
        ArgumentNullException.ThrowIfNull(app);
        if (args is ["migrate"])
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            await db.Database.MigrateAsync();
            app.Logger.LogInformation("Applied migrations of {Context} in schema {Schema}", typeof(TContext).Name, db.Schema);
            return;
        }

        if (args is ["reencrypt"])
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            var columns = db is IEncryptingDbContext encrypting
                ? await Reencryption.RunAsync(db, encrypting.Protector, app.Logger, CancellationToken.None)
                : [];
            app.Logger.LogInformation("Re-encryption of {Context} done: {Columns} encrypted columns", typeof(TContext).Name, columns.Count);
            Environment.ExitCode = columns.Any(c => c.Unreadable.Count > 0) ? 1 : 0;
            return;
        }

        await app.RunAsync();
    }

    /// <summary>
    /// Runs a service that keeps no state in the platform database; started with <c>migrate</c> (as a deployment that
    /// migrates every service in turn would) it has nothing to apply and exits. The AppHost runs no such step for it.
    /// </summary>
    public static async Task RunOrMigrateAsync(this WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (args is ["migrate"])
        {
            app.Logger.LogInformation("No migrations: this service keeps no state in the platform database");
            return;
        }

        await app.RunAsync();
    }
}
