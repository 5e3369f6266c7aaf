using Microsoft.AspNetCore.Mvc.Testing;

namespace Closely.IntegrationTests.Infrastructure;

public static class TestSettings
{
    /// <summary>Where the services of a test run keep files (the audit anchors, the data packages), one folder per service host.</summary>
    public static string TemporaryRoot { get; } = Path.Combine(Path.GetTempPath(), "closely-tests");

    /// <summary>
    /// The settings every service needs: its database, its bus, the run's keys, the SMTP sink (maildev), and a folder
    /// of its own for the audit anchors.
    /// </summary>
    public static Dictionary<string, string?> For(PlatformServers servers, string database, Uri messaging)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var settings = new Dictionary<string, string?>(servers.PrivacySettings)
        {
            ["ConnectionStrings:closely"] = database,
            ["ConnectionStrings:messaging"] = messaging?.ToString(),
            ["Messaging:ManagementUrl"] = servers.RabbitMqManagement.ToString(),
            ["Audit:AnchorDirectory"] = Path.Combine(TemporaryRoot, "anchors-" + Guid.NewGuid().ToString("N")),
            ["Packages:Directory"] = Path.Combine(TemporaryRoot, "packages-" + Guid.NewGuid().ToString("N")),
        };
        if (MailDev.Smtp is { } smtp)
        {
            settings["Smtp:Host"] = smtp.Host;
            settings["Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return settings;
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing with <paramref name="what"/> after the timeout.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"Timed out waiting for: {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the service's /health says Healthy: its database answers and every bus endpoint is ready.</summary>
    public static async Task WaitUntilHealthyAsync<T>(WebApplicationFactory<T> factory)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        using var client = factory.CreateClient();
        await EventuallyAsync(async () =>
        {
            var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
            return response.IsSuccessStatusCode && await response.Content.ReadAsStringAsync() == "Healthy";
        }, "/health answering Healthy");
    }
}
