using System.Net.Http.Headers;
using System.Text;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Closely.AppHost.LocalServers;

/// <summary>
/// A server is healthy once the services could use it: a login as the services log in succeeds (so the
/// script's provisioning of users and passwords is done too).
/// </summary>
internal static class LocalServerHealthChecks
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static async Task<HealthCheckResult> PostgresAsync(LocalPostgresResource server, CancellationToken cancellationToken)
    {
        try
        {
            var connectionString = await server.Database("closely").GetValueAsync(cancellationToken);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("cannot query the closely database as closely", e);
        }
    }

    /// <summary>The management API's aliveness test declares, publishes to and consumes from a queue on the vhost.</summary>
    public static async Task<HealthCheckResult> RabbitMQAsync(LocalRabbitMQResource server, CancellationToken cancellationToken)
    {
        var baseUrl = await server.Management.GetValueAsync(cancellationToken);
        var password = await server.Password.GetValueAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{baseUrl}/api/aliveness-test/%2F"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"closely:{password}")));
        try
        {
            using var response = await Http.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"aliveness test answered {(int)response.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            return HealthCheckResult.Unhealthy("management API unreachable", e);
        }
    }

    public static async Task<HealthCheckResult> ImapAsync(LocalDovecotResource server, CancellationToken cancellationToken)
    {
        var port = int.Parse(await server.Imap.Property(EndpointProperty.Port).GetValueAsync(cancellationToken) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var password = await server.Password.GetValueAsync(cancellationToken);
        try
        {
            using var imap = new ImapClient();
            await imap.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None, cancellationToken);
            await imap.AuthenticateAsync(LocalDovecotResource.UserName, password ?? string.Empty, cancellationToken);
            await imap.DisconnectAsync(quit: true, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or MailKit.ProtocolException or AuthenticationException)
        {
            return HealthCheckResult.Unhealthy("cannot log in to IMAP as privacy", e);
        }
    }
}
