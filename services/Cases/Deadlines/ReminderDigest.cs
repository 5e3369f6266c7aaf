using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Closely.BuildingBlocks.Deadlines;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Persistence;
using Closely.Cases.Saga;
using Closely.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closely.Cases.Deadlines;

/// <summary>
/// Once a day at <see cref="CasesOptions.DigestTime"/> (legal time zone) sends the DPO one email listing
/// every open case that is within <see cref="CasesOptions.TargetReminderLead"/> of its internal target or
/// <see cref="CasesOptions.DueReminderLead"/> of its legal due date, or past it — rather than one email
/// per case. Overdue cases are escalated on their own as well (by the saga). The digest of a day is one
/// notice (Notification sends a key once), so several instances send it once.
/// </summary>
public sealed partial class ReminderDigest(
    IServiceScopeFactory scopes,
    StatutoryDeadlines deadlines,
    IOptions<CasesOptions> options,
    TimeProvider clock,
    ILogger<ReminderDigest> logger) : BackgroundService
{
    public const string Template = "dpo-digest";

    /// <summary>Sends today's digest if any case needs it; returns how many cases it lists.</summary>
    public async Task<int> SendAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, deadlines.TimeZone).Date);
        var targetHorizon = now + settings.TargetReminderLead;
        var dueHorizon = now + settings.DueReminderLead;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var closed = CaseStates.Closed.ToArray();
        var cases = await db.Cases.AsNoTracking()
            .Where(c => !closed.Contains(c.CurrentState) && (c.TargetAt <= targetHorizon || c.DueAt <= dueHorizon))
            .OrderBy(c => c.DueAt)
            .Select(c => new { c.Reference, c.Right, c.CurrentState, c.TargetOn, c.DueOn, c.DueAt, c.Extended })
            .ToListAsync(cancellationToken);
        if (cases.Count == 0)
        {
            return 0;
        }

        var lines = cases.Select(c =>
        {
            var days = c.DueOn.DayNumber - today.DayNumber;
            var when = c.DueAt <= now ? "OVERDUE" : days == 0 ? "due today" : $"due in {days} days";
            return string.Create(CultureInfo.InvariantCulture,
                $"- {c.Reference}  {c.Right}  {c.CurrentState}  target {c.TargetOn:yyyy-MM-dd}  due {c.DueOn:yyyy-MM-dd}{(c.Extended ? " (extended)" : "")}  {when}");
        });

        var key = "digest-" + today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var sender = scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>();
        var endpoint = await sender.GetSendEndpoint(new Uri($"queue:{CommandQueues.SendNotification}"));
        var digestId = DigestId(key);
        var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
        await endpoint.Send(new SendNotification
        {
            CaseId = digestId,
            NotificationKey = key,
            Template = Template,
            SealedRecipientEmail = BusSeal.Seal(protector, digestId, BusSeal.RecipientEmail, settings.DpoEmail),
            SealedValues = BusSeal.SealJson(protector, digestId, BusSeal.NotificationValues, new Dictionary<string, string>
            {
                ["date"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["count"] = cases.Count.ToString(CultureInfo.InvariantCulture),
                ["cases"] = string.Join('\n', lines),
            }),
        }, cancellationToken);
        LogSent(today, cases.Count);
        return cases.Count;
    }

    /// <summary>A stable id for the day's digest, so that Notification sends it once however often it is asked.</summary>
    public static Guid DigestId(string key) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes("closely-reminder-" + key)).AsSpan(0, 16));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(UntilNextDigest(), clock, stoppingToken);
            try
            {
                await SendAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFailed(exception);
            }
        }
    }

    private TimeSpan UntilNextDigest()
    {
        var now = clock.GetUtcNow();
        var local = TimeZoneInfo.ConvertTime(now, deadlines.TimeZone);
        var next = local.Date + options.Value.DigestTime.ToTimeSpan();
        if (next <= local.DateTime)
        {
            next = next.AddDays(1);
        }

        var nextUtc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(next, DateTimeKind.Unspecified), deadlines.TimeZone);
        return nextUtc - now.UtcDateTime;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder digest of {Day} sent to the DPO with {Count} cases")]
    private partial void LogSent(DateOnly day, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder digest failed; the next one is due tomorrow")]
    private partial void LogFailed(Exception exception);
}
