using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Closely.IntegrationTests.Infrastructure;

/// <summary>Runs axe-core in the page and fails on any serious or critical violation, naming each rule and element.</summary>
public static class Accessibility
{
    private static readonly string[] Blocking = ["serious", "critical"];

    /// <summary>Checks the page as it is now, and that it speaks <paramref name="language"/> (its <c>html lang</c>).</summary>
    public static async Task AssertAccessibleAsync(IPage page, string what, string language)
    {
        ArgumentNullException.ThrowIfNull(page);
        Assert.Equal(language, await page.Locator("html").GetAttributeAsync("lang"));
        var violations = await BlockingViolationsAsync(page);
        Assert.True(violations.Count == 0, $"axe: serious or critical violations on {what} ({language}, {page.Url}):\n" + string.Join('\n', violations));
    }

    /// <summary>The serious and critical violations axe finds in the page, one line each.</summary>
    public static async Task<List<string>> BlockingViolationsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        AxeResult result = await page.RunAxe();
        return result.Violations
            .Where(v => Blocking.Contains(v.Impact))
            .Select(v => $"- {v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ToList();
    }
}
