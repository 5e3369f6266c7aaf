using Closely.BuildingBlocks.Persistence;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Persistence;
using Closely.Identity.Persistence;
using Closely.Intake.Persistence;
using Closely.Notification.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Closely.IntegrationTests.Infrastructure;

/// <summary>A fresh platform database with every service's migrations applied, as the migration step does.</summary>
public static class PlatformDatabase
{
    public static async Task<string> CreateAsync(PlatformServers servers, string purpose)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var connectionString = await servers.CreateDatabaseAsync(purpose);
        var protector = servers.Protector();

        await MigrateAsync<CasesDbContext>(connectionString, CasesDbContext.SchemaName, o => new(o, protector));
        await MigrateAsync<IntakeDbContext>(connectionString, IntakeDbContext.SchemaName, o => new(o, protector));
        await MigrateAsync<IdentityDbContext>(connectionString, IdentityDbContext.SchemaName, o => new(o, protector));
        await MigrateAsync<NotificationDbContext>(connectionString, NotificationDbContext.SchemaName, o => new(o));
        return connectionString;
    }

    public static CasesDbContext Cases(string connectionString, PersonalDataProtector protector) =>
        new(Options<CasesDbContext>(connectionString, CasesDbContext.SchemaName), protector);

    public static IntakeDbContext Intake(string connectionString, PersonalDataProtector protector) =>
        new(Options<IntakeDbContext>(connectionString, IntakeDbContext.SchemaName), protector);

    public static IdentityDbContext Identity(string connectionString, PersonalDataProtector protector) =>
        new(Options<IdentityDbContext>(connectionString, IdentityDbContext.SchemaName), protector);

    public static NotificationDbContext Notification(string connectionString) =>
        new(Options<NotificationDbContext>(connectionString, NotificationDbContext.SchemaName));

    private static async Task MigrateAsync<T>(string connectionString, string schema, Func<DbContextOptions<T>, T> create)
        where T : ServiceDbContext
    {
        await using var db = create(Options<T>(connectionString, schema));
        await db.Database.MigrateAsync();
    }

    private static DbContextOptions<T> Options<T>(string connectionString, string schema)
        where T : DbContext
    {
        var builder = new DbContextOptionsBuilder<T>();
        builder.UseServiceDatabase(connectionString, schema);
        return builder.Options;
    }
}
