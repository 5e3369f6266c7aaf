using Closely.Contracts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Closely.Cases.DpoConsole.Pages;

/// <summary>The case list with its filters, sorted by due date; the search by reference or requester email.</summary>
public sealed class CaseListModel(CaseQueries queries, TimeProvider clock) : PageModel
{
    public CaseFilter Filter { get; private set; } = new();

    public IReadOnlyList<CaseRow> Rows { get; private set; } = [];

    public IReadOnlyList<(string State, int Count)> Counts { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    /// <summary>Restrictions under Art 18(1)(a) or (d) awaiting the DPO's decision, flagged until decided.</summary>
    public int RestrictionDecisionsDue { get; private set; }

    public async Task OnGetAsync(
        string? state, DataSubjectRight? right, IntakeChannel? channel, int? dueWithinDays, bool? overdue, string? reference, string? requester,
        bool? restrictionDecision, CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow();
        Filter = new CaseFilter
        {
            State = string.IsNullOrEmpty(state) ? null : state,
            Right = right,
            Channel = channel,
            DueWithinDays = dueWithinDays,
            Overdue = overdue == true,
            Reference = reference,
            Requester = requester,
            RestrictionDecisionDue = restrictionDecision == true,
        };
        Rows = await queries.ListAsync(Filter, Now, cancellationToken);
        Counts = await queries.CountsByStateAsync(cancellationToken);
        RestrictionDecisionsDue = await queries.RestrictionDecisionsDueCountAsync(cancellationToken);
    }

    /// <summary>
    /// A search is posted, so that an email address never lands in a URL, a browser history or an access
    /// log: it is turned into its blind index here.
    /// </summary>
    public IActionResult OnPostSearch(string? query)
    {
        var text = query?.Trim() ?? "";
        return text.Contains('@', StringComparison.Ordinal)
            ? RedirectToPage(new { requester = queries.RequesterKey(text) })
            : RedirectToPage(new { reference = text });
    }
}
