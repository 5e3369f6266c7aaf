using Microsoft.Extensions.Options;

namespace Closely.Cases.DpoConsole;

/// <summary>
/// Per-account sign-in throttling, beside the per-address rate limit: after
/// <see cref="ConsoleOptions.SignInFailuresPerAccount"/> failures within <see cref="ConsoleOptions.SignInFailureWindow"/>
/// (from the first), the account cannot sign in — not even with the right password and code — until the window
/// ends; a successful sign-in clears its failures. Accounts are keyed by the pseudonym of the name typed, so
/// unknown names are throttled alike and no name is held. Per instance, in memory.
/// </summary>
public sealed class SignInThrottle(IOptionsMonitor<ConsoleOptions> options, TimeProvider clock)
{
    private const int PruneAbove = 10_000;

    private readonly Dictionary<string, (int Failures, DateTimeOffset Since)> _accounts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public bool IsBlocked(string account)
    {
        lock (_gate)
        {
            return _accounts.TryGetValue(account, out var entry) && !Expired(entry.Since) && entry.Failures >= options.CurrentValue.SignInFailuresPerAccount;
        }
    }

    public void Failed(string account)
    {
        lock (_gate)
        {
            if (_accounts.Count > PruneAbove)
            {
                foreach (var stale in _accounts.Where(a => Expired(a.Value.Since)).Select(a => a.Key).ToList())
                {
                    _accounts.Remove(stale);
                }
            }

            _accounts[account] = _accounts.TryGetValue(account, out var entry) && !Expired(entry.Since)
                ? (entry.Failures + 1, entry.Since)
                : (1, clock.GetUtcNow());
        }
    }

    public void Succeeded(string account)
    {
        lock (_gate)
        {
            _accounts.Remove(account);
        }
    }

    private bool Expired(DateTimeOffset since) => clock.GetUtcNow() - since >= options.CurrentValue.SignInFailureWindow;
}
