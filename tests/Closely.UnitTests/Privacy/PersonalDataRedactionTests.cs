using Closely.BuildingBlocks.Privacy;
using Closely.Identity.Verification;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Closely.UnitTests.Privacy;

/// <summary>
/// The logging every service gets from ServiceDefaults (<see cref="TelemetryPrivacy.AddPersonalDataRedaction"/>): a value
/// classified <see cref="PersonalDataAttribute"/> is erased from the log line, from its message and from its state.
/// </summary>
public sealed partial class PersonalDataRedactionTests
{
    private const string Email = "jane.careless@example.com";

    [Fact]
    public void A_parameter_marked_personal_data_is_erased_from_the_message_and_the_state()
    {
        var (logger, logs) = Logging();

        LogCarelessly(logger, Email, 3);

        var record = Assert.Single(logs.GetSnapshot());
        Assert.DoesNotContain(Email, record.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("attempt 3", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(record.StructuredState!, kv => kv.Value?.Contains(Email, StringComparison.OrdinalIgnoreCase) == true);
    }

    [Fact]
    public void A_logged_object_keeps_its_other_properties_and_loses_its_personal_data()
    {
        var (logger, logs) = Logging();
        var verification = new EmailVerification
        {
            TokenId = "token-id-1",
            CaseId = Guid.NewGuid(),
            Reference = "DSR-2026-ABCDEF",
            RequesterEmail = Email,
            IssueNumber = 1,
            IssuedAt = DateTimeOffset.UnixEpoch,
            ExpiresAt = DateTimeOffset.UnixEpoch,
            Language = "en",
        };

        LogObject(logger, verification);

        var record = Assert.Single(logs.GetSnapshot());
        Assert.Contains(record.StructuredState!, kv => kv.Value == "DSR-2026-ABCDEF");
        Assert.DoesNotContain(record.StructuredState!, kv => kv.Value?.Contains(Email, StringComparison.OrdinalIgnoreCase) == true);
    }

    [Fact]
    public void An_encrypted_column_must_be_classified_as_personal_data()
    {
        var builder = new ModelBuilder();
        var error = Assert.Throws<ArgumentException>(() => builder.Entity<Unclassified>().HasEncryptedColumn(u => u.Secret, "secret_encrypted"));
        Assert.Contains("mark it [PersonalData]", error.Message, StringComparison.Ordinal);
    }

    private static (ILogger Logger, FakeLogCollector Logs) Logging()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddPersonalDataRedaction().AddFakeLogging();
        var services = builder.Build().Services;
        return (services.GetRequiredService<ILoggerFactory>().CreateLogger("test"), services.GetFakeLogCollector());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reach {Email}, attempt {Attempt}")]
    private static partial void LogCarelessly(ILogger logger, [PersonalData] string email, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Issued a link")]
    private static partial void LogObject(ILogger logger, [LogProperties] EmailVerification verification);

    private sealed class Unclassified
    {
        public int Id { get; set; }

        public string Secret { get; set; } = "";
    }
}
