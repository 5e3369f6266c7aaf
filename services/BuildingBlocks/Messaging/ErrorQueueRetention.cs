using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Closely.BuildingBlocks.Messaging;

/// <summary>
/// How long the broker keeps a message that failed (<c>_error</c> queues) or that no consumer took (<c>_skipped</c>): a failed
/// message may hold sealed personal data, so it is not kept for ever (ADR 38). <see cref="ManagementUrl"/> is the RabbitMQ
/// management API of the broker of <c>ConnectionStrings:messaging</c>; without it the policy is not applied and the
/// service says so at start.
/// </summary>
public sealed class ErrorQueueOptions
{
    public const string SectionName = "Messaging";

    /// <summary>The RabbitMQ management API, e.g. <c>http://127.0.0.1:15672</c>; the credentials are those of the amqp URI.</summary>
    public Uri? ManagementUrl { get; set; }

    /// <summary>How long a message stays in an <c>_error</c> or <c>_skipped</c> queue before the broker discards it.</summary>
    public TimeSpan ErrorRetention { get; set; } = TimeSpan.FromDays(14);
}

/// <summary>
/// Applies the policy <see cref="PolicyName"/> to the <c>_error</c> and <c>_skipped</c> queues of the service's virtual host
/// when the service starts: a message TTL of <see cref="ErrorQueueOptions.ErrorRetention"/>. A policy, not a queue argument,
/// because it applies to queues that already exist (a queue argument would make the redeclaration of an existing queue
/// fail) and to those MassTransit declares later. Every service puts the same policy, so it does not matter which starts first.
/// </summary>
internal sealed partial class ErrorQueueRetention(
    IOptions<ErrorQueueOptions> options,
    Microsoft.Extensions.Configuration.IConfiguration configuration,
    ILogger<ErrorQueueRetention> logger) : IHostedService
{
    public const string PolicyName = "closely-error-retention";

    /// <summary>The queues the policy applies to: MassTransit's error and skipped queues.</summary>
    public const string QueuePattern = "_(error|skipped)$";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.ManagementUrl is null)
        {
            // Under least privilege (ADR 40) the service's broker user may not set policies: the set-up puts this one.
            LogLeftToSetUp();
            return;
        }

        var amqp = MessagingExtensions.MessagingHostAddress(configuration);
        var vhost = amqp.AbsolutePath.TrimStart('/') is { Length: > 0 } path ? path : "%2F";
        using var http = new HttpClient { BaseAddress = settings.ManagementUrl, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(amqp.UserInfo))));
        var ttl = (long)settings.ErrorRetention.TotalMilliseconds;
        try
        {
            using var response = await http.PutAsJsonAsync(
                new Uri($"api/policies/{vhost}/{PolicyName}", UriKind.Relative),
                new Dictionary<string, object>
                {
                    ["pattern"] = QueuePattern,
                    ["apply-to"] = "queues",
                    ["priority"] = 10,
                    ["definition"] = new Dictionary<string, object> { ["message-ttl"] = ttl },
                },
                cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogNotApplied(string.Create(CultureInfo.InvariantCulture, $"the management API answered {(int)response.StatusCode}"));
                return;
            }

            LogApplied(settings.ErrorRetention);
        }
        catch (HttpRequestException exception)
        {
            LogNotApplied(exception.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Error and skipped queues keep a message for {Retention}")]
    private partial void LogApplied(TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Information, Message = "Messaging:ManagementUrl is not set: the error queues' retention policy is left to the set-up (scripts/servers.sh, the AppHost)")]
    private partial void LogLeftToSetUp();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The retention policy of the error queues was not applied ({Reason}): failed messages stay until removed by hand")]
    private partial void LogNotApplied(string reason);
}
