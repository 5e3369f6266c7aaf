using Closely.BuildingBlocks.Privacy;
using Closely.Cases;
using Closely.Cases.Audit;
using Closely.Cases.Saga;
using Closely.Contracts;
using Closely.DataLocator.Locating;
using Closely.ErasureExecutor.Erasure;
using Closely.IntegrationTests.Cases;
using Closely.IntegrationTests.Infrastructure;
using Closely.IntegrationTests.Stores;
using Closely.Notification.Persistence;
using Closely.Stores.Samples;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Closely.IntegrationTests.EndToEnd;

/// <summary>
/// The end of a legal hold (ADR 31), with Cases, DataLocator, ErasureExecutor and Notification on one clock the test
/// moves on: the demo subject's erasure keeps her invoice restricted until 2034-03-15; the completed case wakes on that
/// day and the CRM erases the invoice, once, with its <see cref="SubjectErased"/>, and the case records it.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class LegalHoldEndToEndTests(PlatformServers servers) : IAsyncLifetime
{
    private const string Crm = "hetzner-fsn1-crm";
    private static readonly DateOnly HoldEndsOn = new(2034, 3, 15);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    private ServiceGroup _services = null!;
    private Uri _vhost = null!;
    private TestStores _stores = null!;
    private ServiceHost<CasesOptions> _cases = null!;

    public async Task InitializeAsync()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "hold");
        _vhost = await servers.CreateVirtualHostAsync("hold");
        _stores = await TestStores.CreateAsync(servers);
        _services = new ServiceGroup(servers, database, _vhost, options =>
        {
            options.Clock = _clock;
            options.Set(_stores.Settings).Settings["Cases:SweepInterval"] = "1.00:00:00";
        });
        await _services.StartAsync<LocateSubjectDataConsumer>();
        await _services.StartAsync<ExecuteStoreActionConsumer>();
        await _services.StartAsync<NotificationDbContext>();
        _cases = await _services.StartAsync<CasesOptions>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await servers.DeleteVirtualHostAsync(_vhost);
    }

    [Fact]
    public async Task When_the_hold_ends_the_held_invoice_is_erased_once_with_SubjectErased_and_the_case_records_it()
    {
        var erased = await _cases.RecordAsync<SubjectErased>();
        var caseId = await _cases.OpenCaseAsync(DataSubjectRight.Erasure, r => r with { ReceivedAt = _clock.GetUtcNow() });
        await _cases.Bus.Publish(new IdentityVerified { CaseId = caseId, Method = "email-link", VerifiedAt = _clock.GetUtcNow() });
        var completed = await _cases.WaitForStateAsync(caseId, CaseStates.Completed, TimeSpan.FromSeconds(90));

        // The completed erasure keeps one wake-up: the day the invoice's hold ends.
        Assert.Equal((DeadlineKind.HoldEnded, new DateTimeOffset(2034, 3, 15, 0, 0, 0, TimeSpan.Zero)), (completed.NextDeadlineKind, completed.NextDeadlineAt));
        Assert.Equal(1, await InvoiceRowsAsync());
        Assert.Equal(1, await HeldEntriesAsync(caseId));

        // The day before, nothing is due; the case's retention (three years after closing) has not begun either, for the
        // held rows are still to be erased with the subject's identifiers (ADR 36).
        _clock.SetUtcNow(new DateTimeOffset(2034, 3, 14, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(0, await _cases.Sweeper().SweepOnceAsync(default));
        Assert.Equal(0, await _cases.RetentionSweeper().SweepOnceAsync(default));

        // On the day, the case wakes (the sweep here, or the service's own on its timer, which the clock's move ticks) and
        // the CRM erases the invoice and its entry in the restriction list.
        _clock.SetUtcNow(new DateTimeOffset(2034, 3, 15, 0, 30, 0, TimeSpan.Zero));
        await _cases.Sweeper().SweepOnceAsync(default);
        var done = await _cases.WaitUntilAsync(caseId, c => c.CurrentState == CaseStates.Completed
            && c.Stores.Exists(s => s.Action == StoreActionKind.EraseHeld && s.Status == StoreStatus.Completed), "the held rows erased", TimeSpan.FromSeconds(90));
        var heldErasure = Assert.Single(done.Stores, s => s.Action == StoreActionKind.EraseHeld);
        Assert.Equal((Crm, 1, 1), (heldErasure.StoreId, heldErasure.RowsFound, heldErasure.RowsAffected));
        Assert.Equal(0, await InvoiceRowsAsync());
        Assert.Equal(0, await HeldEntriesAsync(caseId));
        Assert.Null(done.NextDeadlineAt);
        Assert.Contains("legal hold", done.Outcome, StringComparison.Ordinal);

        // Downstream hears of it as an erasure in the CRM; the audit trail and the evidence record it.
        await TestSettings.EventuallyAsync(() => Task.FromResult(erased.Count(e => e.CaseId == caseId && e.StoreId == Crm) == 2), "a second SubjectErased from the CRM");
        var afterHold = erased.Where(e => e.CaseId == caseId && e.StoreId == Crm).MaxBy(e => e.ErasedAt)!;
        Assert.Equal(1, afterHold.RowsAffected);
        Assert.True(afterHold.ErasedAt >= new DateTimeOffset(2034, 3, 15, 0, 0, 0, TimeSpan.Zero));
        Assert.Contains(afterHold.Subject, h => h.Kind == "email" && h.Sha256 == HashedIdentifier.Email(SampleStores.DemoEmail).Sha256);
        await using (var scope = _cases.Services.CreateAsyncScope())
        {
            var evidence = (await scope.ServiceProvider.GetRequiredService<CaseEvidenceExporter>().ExportAsync(caseId, CancellationToken.None))!;
            Assert.Contains(evidence.Timeline, e => e.Action == "hold-ended" && e.Detail.Contains($"{Crm} (held until {HoldEndsOn:yyyy-MM-dd})", StringComparison.Ordinal));
            Assert.Contains(evidence.Timeline, e => e.Action == "held-data-erased");
            var step = Assert.Single(evidence.StoreActions, s => s.Action == StoreActionKind.EraseHeld);
            Assert.Equal((Crm, StoreStatus.Completed, 1), (step.StoreId, step.Outcome, step.RowsAffected));
            Assert.Equal(evidence.StoreActions, evidence.ErasureCertificate!.Stores);
        }

        await MailDev.MailToAsync(SampleStores.DemoEmail,
            m => m.Text.Contains(completed.Reference, StringComparison.Ordinal) && m.Subject.Contains("had to keep has now been erased", StringComparison.Ordinal), "the requester's notice");

        // A repeated command (a redelivery) erases nothing more and repeats the recorded result.
        await _cases.SendAsync(CommandQueues.ExecuteStoreAction, new ExecuteStoreAction
        {
            CaseId = caseId, StoreId = Crm, Action = StoreActionKind.EraseHeld, SealedSubjectEmail = servers.Seal(caseId, BusSeal.SubjectEmail, SampleStores.DemoEmail),
        });
        await TestSettings.EventuallyAsync(() => Task.FromResult(erased.Count(e => e.CaseId == caseId && e.StoreId == Crm) == 3), "the recorded result again");
        Assert.Equal(2, erased.Where(e => e.CaseId == caseId && e.StoreId == Crm).Count(e => e.ErasedAt == afterHold.ErasedAt && e.RowsAffected == 1));
    }

    private Task<long> InvoiceRowsAsync() => _stores.ScalarAsync<long>(Crm, "SELECT count(*) FROM invoices WHERE number = 'INV-2024-0042'");

    private Task<long> HeldEntriesAsync(Guid caseId) =>
        _stores.ScalarAsync<long>(Crm, $"SELECT count(*) FROM closely_dsr.restrictions WHERE case_id = '{caseId}' AND ground = 'legal-hold'");
}
