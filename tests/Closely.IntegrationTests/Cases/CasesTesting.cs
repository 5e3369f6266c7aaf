using System.Security.Cryptography;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases;
using Closely.Cases.Deadlines;
using Closely.Cases.Persistence;
using Closely.Cases.Retention;
using Closely.Cases.Saga;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Closely.IntegrationTests.Cases;

/// <summary>
/// The Cases service in a test: its deadline sweeper runs when the test calls it, its cases read from the database,
/// and its console has the users of <see cref="ConsoleSignIn"/>.
/// </summary>
public static class CasesTesting
{
    private static Dictionary<string, string?> Defaults => new(ConsoleSignIn.Settings)
    {
        ["Cases:SweepInterval"] = "1.00:00:00",
        ["Retention:SweepInterval"] = "30.00:00:00",
    };

    public static Task<ServiceHost<CasesOptions>> StartCasesAsync(
        this PlatformServers servers, string database, Uri messaging, Action<ServiceHostOptions>? configure = null) =>
        ServiceHost<CasesOptions>.StartAsync(servers, database, messaging, configure, Defaults);

    /// <summary>Cases on a database and virtual host of its own.</summary>
    public static Task<ServiceHost<CasesOptions>> StartCasesAsync(
        this PlatformServers servers, string purpose, Action<ServiceHostOptions>? configure = null) =>
        ServiceHost<CasesOptions>.StartAsync(servers, purpose, configure, Defaults);

    public static DeadlineSweeper Sweeper(this ServiceHost<CasesOptions> host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Services.GetRequiredService<DeadlineSweeper>();
    }

    public static RetentionSweeper RetentionSweeper(this ServiceHost<CasesOptions> host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Services.GetRequiredService<RetentionSweeper>();
    }

    /// <summary>The public key of the run's anchor signing key, alone: what a verifier outside Closely holds.</summary>
    public static ECDsa AnchorPublicKey(this PlatformServers servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        using var signing = ECDsa.Create();
        signing.ImportPkcs8PrivateKey(Convert.FromBase64String(servers.PrivacySettings["Audit:AnchorSigningKey"]!), out _);
        var publicKey = ECDsa.Create();
        publicKey.ImportSubjectPublicKeyInfo(signing.ExportSubjectPublicKeyInfo(), out _);
        return publicKey;
    }

    /// <summary>A context of the test's own on the service's database, with the service's keys.</summary>
    public static CasesDbContext NewDbContext(this ServiceHost<CasesOptions> host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return PlatformDatabase.Cases(host.Database, host.Services.GetRequiredService<PersonalDataProtector>());
    }

    public static async Task<CaseState?> CaseAsync(this ServiceHost<CasesOptions> host, Guid caseId)
    {
        await using var db = host.NewDbContext();
        return await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.CorrelationId == caseId);
    }

    /// <summary>Waits until the case meets <paramref name="condition"/>; returns it as it then is.</summary>
    public static async Task<CaseState> WaitUntilAsync(
        this ServiceHost<CasesOptions> host, Guid caseId, Func<CaseState, bool> condition, string what, TimeSpan? timeout = null)
    {
        CaseState? found = null;
        await TestSettings.EventuallyAsync(async () => (found = await host.CaseAsync(caseId)) is { } saga && condition(saga), what, timeout);
        return found!;
    }

    /// <summary>Opens a case as Intake would (by web form, requested by jane.doe@example.com), and waits until it awaits verification.</summary>
    public static async Task<Guid> OpenCaseAsync(
        this ServiceHost<CasesOptions> host, DataSubjectRight right = DataSubjectRight.Access, Func<DsrReceived, DsrReceived>? change = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var caseId = Guid.NewGuid();
        var received = new DsrReceived
        {
            CaseId = caseId,
            Reference = "DSR-" + caseId.ToString("N")[..10].ToUpperInvariant(),
            Right = right,
            Channel = IntakeChannel.WebForm,
            ReceivedAt = DateTimeOffset.UtcNow,
            SealedRequesterEmail = BusSeal.Seal(host.Services.GetRequiredService<PersonalDataProtector>(), caseId, BusSeal.RequesterEmail, "jane.doe@example.com"),
        };
        await host.Bus.Publish(change is null ? received : change(received));
        await host.WaitForStateAsync(caseId, CaseStates.AwaitingVerification);
        return caseId;
    }

    public static Task<CaseState> WaitForStateAsync(this ServiceHost<CasesOptions> host, Guid caseId, string state, TimeSpan? timeout = null) =>
        host.WaitUntilAsync(caseId, c => c.CurrentState == state, $"case in state {state}", timeout);
}
