using Closely.AppHostTests.Infrastructure;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Closely.AppHostTests;

/// <summary>The Aspire dashboard, as an operator opens it: the login link with its token, then the resources.</summary>
[Collection(PlatformCollection.Name)]
public sealed class DashboardTests(PlatformApp platform) : IAsyncLifetime
{
    private readonly Browser _browser = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task After_the_token_login_the_dashboard_lists_every_service_and_server_as_running()
    {
        await using var context = await _browser.NewContextAsync(platform.DashboardUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/login?t={platform.DashboardToken}");

        foreach (var resource in PlatformApp.Services.Concat(PlatformApp.Servers))
        {
            // The resources grid: one row per resource, its name in .resource-name-text, its state in a cell.
            var name = page.Locator(".resource-name-text").GetByText(resource, new() { Exact = true });
            var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = name });
            await Assertions.Expect(row.GetByRole(AriaRole.Gridcell, new() { Name = "Running", Exact = true })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        }
    }
}
