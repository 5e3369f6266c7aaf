using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Persistence;
using Closely.Cases.Saga;
using Closely.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Closely.Cases.DpoConsole;

/// <summary>What the case list is filtered by; every filter is optional.</summary>
public sealed record CaseFilter
{
    public string? State { get; init; }

    public DataSubjectRight? Right { get; init; }

    public IntakeChannel? Channel { get; init; }

    /// <summary>Open cases whose legal due date falls within this many days from now.</summary>
    public int? DueWithinDays { get; init; }

    /// <summary>Open cases whose legal due date has passed.</summary>
    public bool Overdue { get; init; }

    /// <summary>A case reference, or its beginning.</summary>
    public string? Reference { get; init; }

    /// <summary>The blind index of the requester's email (hex), never the address itself.</summary>
    public string? Requester { get; init; }

    /// <summary>Restrictions under Art 18(1)(a) or (d) that await the DPO's decision (lift, or keep with a reason).</summary>
    public bool RestrictionDecisionDue { get; init; }
}

/// <summary>One row of the case list: no personal data.</summary>
public sealed record CaseRow(
    Guid Id,
    string Reference,
    string State,
    DataSubjectRight Right,
    IntakeChannel Channel,
    DateTimeOffset ReceivedAt,
    DateOnly DueOn,
    DateTimeOffset DueAt,
    bool Extended,
    bool Closed)
{
    /// <summary>A restriction under Art 18(1)(a) or (d) awaiting the DPO's decision (<see cref="CaseState.AwaitsRestrictionDecision"/>).</summary>
    public bool RestrictionDecisionDue { get; init; }
}

/// <summary>The console's reads of the case saga's table.</summary>
public sealed class CaseQueries(CasesDbContext db, PersonalDataProtector protector)
{
    /// <summary>The most rows the list shows; narrower filters find the rest.</summary>
    public const int MaxRows = 500;

    /// <summary>The hex blind index to search a requester by, so that the address never travels in a URL.</summary>
    public string RequesterKey(string email) => Convert.ToHexStringLower(protector.EmailIndex(email));

    public async Task<IReadOnlyList<CaseRow>> ListAsync(CaseFilter filter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var cases = db.Cases.AsNoTracking();
        if (!string.IsNullOrEmpty(filter.State))
        {
            cases = cases.Where(c => c.CurrentState == filter.State);
        }

        if (filter.Right is { } right)
        {
            cases = cases.Where(c => c.Right == right);
        }

        if (filter.Channel is { } channel)
        {
            cases = cases.Where(c => c.Channel == channel);
        }

        if (filter.DueWithinDays is { } days)
        {
            var until = now.AddDays(days);
            cases = Open(cases).Where(c => c.DueAt <= until);
        }

        if (filter.Overdue)
        {
            cases = Open(cases).Where(c => c.DueAt <= now);
        }

        if (!string.IsNullOrWhiteSpace(filter.Reference))
        {
            var prefix = filter.Reference.Trim().Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
            cases = cases.Where(c => EF.Functions.ILike(c.Reference, prefix + "%"));
        }

        if (!string.IsNullOrEmpty(filter.Requester))
        {
            var index = TryFromHex(filter.Requester);
            cases = index is null ? cases.Where(_ => false) : cases.Where(c => c.RequesterEmailIndex == index);
        }

        if (filter.RestrictionDecisionDue)
        {
            cases = RestrictionDecisionCandidates(cases);
        }

        var closed = CaseStates.Closed.ToList();
        var rows = await cases
            .OrderBy(c => c.DueAt).ThenBy(c => c.Reference)
            .Select(c => new CaseRow(c.CorrelationId, c.Reference, c.CurrentState, c.Right, c.Channel, c.ReceivedAt, c.DueOn, c.DueAt, c.Extended, closed.Contains(c.CurrentState)))
            .Take(MaxRows)
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var due = (await RestrictionDecisionsDueAsync(db.Cases.Where(c => ids.Contains(c.CorrelationId)), cancellationToken)).Select(c => c.CorrelationId).ToHashSet();
        return rows.Select(r => r with { RestrictionDecisionDue = due.Contains(r.Id) })
            .Where(r => !filter.RestrictionDecisionDue || r.RestrictionDecisionDue)
            .ToList();
    }

    /// <summary>How many restrictions under Art 18(1)(a) or (d) await the DPO's decision.</summary>
    public async Task<int> RestrictionDecisionsDueCountAsync(CancellationToken cancellationToken) =>
        (await RestrictionDecisionsDueAsync(db.Cases, cancellationToken)).Count;

    private static async Task<List<CaseState>> RestrictionDecisionsDueAsync(IQueryable<CaseState> cases, CancellationToken cancellationToken) =>
        (await RestrictionDecisionCandidates(cases.AsNoTracking()).ToListAsync(cancellationToken)).Where(c => c.AwaitsRestrictionDecision).ToList();

    // What the columns say of CaseState.AwaitsRestrictionDecision; the stores' progress (jsonb) is checked on the loaded cases.
    private static IQueryable<CaseState> RestrictionDecisionCandidates(IQueryable<CaseState> cases) => cases.Where(c =>
        c.CurrentState == CaseStates.Completed
        && (c.RestrictionGround == RestrictionGround.AccuracyContested || c.RestrictionGround == RestrictionGround.ObjectionPending)
        && c.LiftAnnouncedAt == null
        && c.RestrictionKeptAt == null);

    /// <summary>How many cases are in each state (every state, zeros included).</summary>
    public async Task<IReadOnlyList<(string State, int Count)>> CountsByStateAsync(CancellationToken cancellationToken)
    {
        var counts = await db.Cases.GroupBy(c => c.CurrentState)
            .Select(g => new { State = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.State, g => g.Count, cancellationToken);
        return CaseStates.All.Select(s => (s, counts.GetValueOrDefault(s))).ToList();
    }

    public Task<CaseState?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.CorrelationId == id, cancellationToken);

    /// <summary>The case's audit trail, oldest first.</summary>
    public async Task<IReadOnlyList<CaseAuditEntry>> TimelineAsync(Guid id, CancellationToken cancellationToken) =>
        await db.AuditEntries.AsNoTracking().Where(a => a.CaseId == id).OrderBy(a => a.Sequence).ToListAsync(cancellationToken);

    public Task<bool> HasAuthorityDocumentAsync(Guid id, CancellationToken cancellationToken) =>
        db.AuthorityDocuments.AnyAsync(d => d.CaseId == id, cancellationToken);

    public Task<AuthorityDocument?> AuthorityDocumentAsync(Guid id, CancellationToken cancellationToken) =>
        db.AuthorityDocuments.AsNoTracking().SingleOrDefaultAsync(d => d.CaseId == id, cancellationToken);

    public async Task<Dashboard> DashboardAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = await Open(db.Cases)
            .GroupBy(c => new { c.CurrentState, c.Right })
            .Select(g => new { g.Key.CurrentState, g.Key.Right, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var weekEnd = now.AddDays(7);
        var dueThisWeek = await Open(db.Cases).CountAsync(c => c.DueAt > now && c.DueAt <= weekEnd, cancellationToken);
        var overdue = await Open(db.Cases).CountAsync(c => c.DueAt <= now, cancellationToken);

        // Aggregated in the database, so that the dashboard costs the same with ten or ten thousand cases.
        var closed = CaseStates.Closed.ToArray();
        var closing = await db.Database.SqlQuery<ClosingFigures>($"""
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - received_at) / 86400) AS "MedianDays",
                   count(*)::int AS "Closed",
                   (count(*) FILTER (WHERE closed_at <= target_at))::int AS "BeforeTarget"
            FROM cases.case_sagas
            WHERE closed_at IS NOT NULL AND current_state = ANY({closed})
            """).SingleAsync(cancellationToken);
        var failures = await db.Database.SqlQuery<StoreFailures>($"""
            SELECT s ->> 'storeId' AS "Store", sum((s ->> 'failures')::int)::int AS "Failures"
            FROM cases.case_sagas CROSS JOIN LATERAL jsonb_array_elements(stores) AS s
            GROUP BY 1
            """).ToListAsync(cancellationToken);

        return new Dashboard(
            open.Select(o => (o.CurrentState, o.Right, o.Count)).ToList(),
            dueThisWeek,
            overdue,
            closing.MedianDays,
            closing.Closed == 0 ? null : (double)closing.BeforeTarget / closing.Closed,
            closing.Closed,
            failures.OrderByDescending(f => f.Failures).ThenBy(f => f.Store, StringComparer.Ordinal).Select(f => (f.Store, f.Failures)).ToList());
    }

    private static IQueryable<CaseState> Open(IQueryable<CaseState> cases)
    {
        var closed = CaseStates.Closed.ToList();
        return cases.Where(c => !closed.Contains(c.CurrentState));
    }

    private static byte[]? TryFromHex(string value)
    {
        try
        {
            return Convert.FromHexString(value);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

internal sealed record ClosingFigures(double? MedianDays, int Closed, int BeforeTarget);

internal sealed record StoreFailures(string Store, int Failures);

/// <summary>The figures of the dashboard.</summary>
public sealed record Dashboard(
    IReadOnlyList<(string State, DataSubjectRight Right, int Count)> Open,
    int DueThisWeek,
    int Overdue,
    double? MedianDaysToComplete,
    double? ShareCompletedBeforeTarget,
    int CompletedCount,
    IReadOnlyList<(string Store, int Failures)> FailuresByStore);
