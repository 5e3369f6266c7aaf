using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Closely.Cases.DpoConsole.Pages;

/// <summary>How the privacy desk is doing: open cases, deadlines, time to close, store failures.</summary>
public sealed class DashboardModel(CaseQueries queries, TimeProvider clock) : PageModel
{
    public Dashboard Figures { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Figures = await queries.DashboardAsync(clock.GetUtcNow(), cancellationToken);
}
