using Closely.BuildingBlocks.Privacy;
using Closely.Cases;
using Closely.Cases.Saga;
using Closely.Cases.Telemetry;
using Closely.Contracts;
using Closely.IntegrationTests.Cases;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Closely.IntegrationTests.Telemetry;

/// <summary>The open and overdue case gauges of Cases, counted from the database by the refresher.</summary>
[Collection(PlatformServersCollection.Name)]
public sealed class CaseGaugeTests(PlatformServers servers) : IAsyncLifetime
{
    private ServiceHost<CasesOptions> _host = null!;

    public async Task InitializeAsync() => _host = await servers.StartCasesAsync("gauges");

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task The_gauges_report_open_cases_by_state_and_right_and_the_overdue_ones_and_drop_to_zero_when_a_case_closes()
    {
        using var meters = new MeterRecorder(_host.Services);
        var erasure = await OpenAsync(DataSubjectRight.Erasure, DateTimeOffset.UtcNow, IntakeChannel.Api);
        var lateAccess = await OpenAsync(DataSubjectRight.Access, DateTimeOffset.UtcNow.AddMonths(-2), IntakeChannel.Api);
        await OpenAsync(DataSubjectRight.Objection, DateTimeOffset.UtcNow, IntakeChannel.OptOut);
        await _host.WaitForStateAsync(erasure, "AwaitingVerification");
        await _host.WaitForStateAsync(lateAccess, "AwaitingVerification");

        await Refresher.RefreshAsync(CancellationToken.None);

        Assert.Equal(
            [("awaiting-verification", "access", 1.0), ("awaiting-verification", "erasure", 1.0)],
            Series(meters.Observe(CaseMetrics.OpenCasesName)));
        Assert.Equal(
            [("awaiting-verification", "access", 1.0)],
            Series(meters.Observe(CaseMetrics.OverdueCasesName)));

        await _host.Bus.Publish(new WithdrawRequest { CaseId = lateAccess, Actor = "maria.keller", Reason = "The requester withdrew by phone." });
        await _host.WaitForStateAsync(lateAccess, "WithdrawnByRequester");
        await Refresher.RefreshAsync(CancellationToken.None);

        Assert.Equal(
            [("awaiting-verification", "access", 0.0), ("awaiting-verification", "erasure", 1.0)],
            Series(meters.Observe(CaseMetrics.OpenCasesName)));
        Assert.Equal(
            [("awaiting-verification", "access", 0.0)],
            Series(meters.Observe(CaseMetrics.OverdueCasesName)));
    }

    private CaseMetricsRefresher Refresher => _host.Services.GetRequiredService<CaseMetricsRefresher>();

    private static List<(string?, string?, double)> Series(List<RecordedMeasurement> measurements) =>
        measurements
            .Select(m => (m.Tag(CaseMetrics.StateTag), m.Tag(CaseMetrics.RightTag), m.Value))
            .Order()
            .ToList();

    private async Task<Guid> OpenAsync(DataSubjectRight right, DateTimeOffset receivedAt, IntakeChannel channel)
    {
        var caseId = Guid.NewGuid();
        await _host.Bus.Publish(new DsrReceived
        {
            CaseId = caseId,
            Reference = "DSR-" + caseId.ToString("N")[..10].ToUpperInvariant(),
            Right = right,
            Channel = channel,
            ReceivedAt = receivedAt,
            SealedRequesterEmail = servers.Seal(caseId, BusSeal.RequesterEmail, "jane.doe@example.com"),
        });
        if (channel == IntakeChannel.OptOut)
        {
            await _host.WaitForStateAsync(caseId, "Completed");
        }

        return caseId;
    }
}
