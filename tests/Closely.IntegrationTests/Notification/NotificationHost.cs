using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Closely.IntegrationTests.Infrastructure;
using Closely.Notification.Persistence;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Closely.IntegrationTests.Notification;

/// <summary>The Notification service in-process on a real database, a real RabbitMQ virtual host and the real maildev.</summary>
public sealed class NotificationHost : IAsyncDisposable
{
    private readonly ServiceFactory<NotificationDbContext> _factory;
    private readonly BusRecorders _recorders;
    private readonly PlatformServers _servers;
    private readonly Uri _vhost;

    private NotificationHost(PlatformServers servers, string database, Uri messaging)
    {
        _servers = servers;
        _vhost = messaging;
        var settings = TestSettings.For(servers, database, messaging);
        var smtp = Environment.GetEnvironmentVariable("CLOSELY_TEST_SMTP")
            ?? throw new InvalidOperationException("CLOSELY_TEST_SMTP (host:port of the maildev SMTP server) is not set; run with ./test.sh.");
        var separator = smtp.LastIndexOf(':');
        settings["Smtp:Host"] = smtp[..separator];
        settings["Smtp:Port"] = smtp[(separator + 1)..];
        _factory = new ServiceFactory<NotificationDbContext>(settings);
        _recorders = new BusRecorders(_factory.Services);
    }

    public static async Task<NotificationHost> StartAsync(PlatformServers servers, string database, Uri messaging)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var host = new NotificationHost(servers, database, messaging);
        await TestSettings.WaitUntilHealthyAsync(host._factory);
        return host;
    }

    public IBus Bus => _factory.Services.GetRequiredService<IBus>();

    /// <summary>Binds a queue of the test's own to <typeparamref name="T"/> and records what arrives.</summary>
    public Task<ConcurrentBag<T>> RecordAsync<T>()
        where T : class => _recorders.RecordAsync<T>();

    /// <summary>The mails maildev holds for <paramref name="address"/>.</summary>
    public static async Task<IReadOnlyList<MailDevEmail>> MailsToAsync(string address)
    {
        var maildev = Environment.GetEnvironmentVariable("CLOSELY_TEST_MAILDEV")
            ?? throw new InvalidOperationException("CLOSELY_TEST_MAILDEV (the maildev web URL) is not set; run with ./test.sh.");
        using var http = new HttpClient { BaseAddress = new Uri(maildev) };
        var mails = await http.GetFromJsonAsync<List<MailDevEmail>>(new Uri("/api/email", UriKind.Relative)) ?? [];
        return mails.Where(m => m.To.Any(t => string.Equals(t.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();
    }

    /// <summary>Waits until maildev holds a mail for <paramref name="address"/> that <paramref name="match"/> accepts, and returns it.</summary>
    public static async Task<MailDevEmail> MailToAsync(string address, Func<MailDevEmail, bool> match, string what)
    {
        MailDevEmail? mail = null;
        await TestSettings.EventuallyAsync(async () =>
        {
            mail = (await MailsToAsync(address)).FirstOrDefault(match);
            return mail is not null;
        }, what + " in maildev", TimeSpan.FromSeconds(60));
        return mail!;
    }

    /// <summary>How many messages wait in <paramref name="queue"/> of this host's virtual host.</summary>
    public Task<int> MessagesInQueueAsync(string queue) => _servers.MessagesInQueueAsync(_vhost, queue);

    public async ValueTask DisposeAsync()
    {
        await _recorders.DisposeAsync();
        await _factory.DisposeAsync();
    }

    public sealed record MailDevEmail(
        [property: JsonPropertyName("subject")] string Subject,
        [property: JsonPropertyName("text")] string Text,
        [property: JsonPropertyName("to")] IReadOnlyList<MailDevAddress> To);

    public sealed record MailDevAddress([property: JsonPropertyName("address")] string Address);
}
