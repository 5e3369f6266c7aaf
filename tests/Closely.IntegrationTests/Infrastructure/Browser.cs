using Microsoft.Playwright;

namespace Closely.IntegrationTests.Infrastructure;

/// <summary>
/// Headless Chromium for page tests: Debian's <c>/usr/bin/chromium</c> (or
/// <c>PLAYWRIGHT_CHROMIUM_EXECUTABLE</c>); Playwright never downloads a browser of its own. Launched on
/// first use and shared by the test collection; each test opens its own context (cookies, storage).
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task<IBrowserContext> NewContextAsync(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var browser = await LaunchAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString() });
        context.SetDefaultTimeout(15_000);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _gate.Dispose();
    }

    private async Task<IBrowser> LaunchAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_browser is null)
            {
                _playwright = await Playwright.CreateAsync();
                _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = Environment.GetEnvironmentVariable("PLAYWRIGHT_CHROMIUM_EXECUTABLE") is { Length: > 0 } path ? path : "/usr/bin/chromium",
                    Headless = true,
                    // No background traffic: this machine's network is closed, and the browser only needs loopback.
                    Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
                });
            }

            return _browser;
        }
        finally
        {
            _gate.Release();
        }
    }
}
