using System.Text.Json;
using Closely.Contracts;
using Closely.Intake.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Closely.Intake.Status;

/// <summary>
/// Keeps <c>intake.case_status</c>: one row per case, holding the highest <see cref="CaseStatusChanged.Version"/>
/// seen. An older or repeated message changes nothing, whatever the order of arrival.
/// </summary>
public sealed partial class CaseStatusConsumer(IntakeDbContext db, TimeProvider clock, ILogger<CaseStatusConsumer> logger)
    : IConsumer<CaseStatusChanged>
{
    public async Task Consume(ConsumeContext<CaseStatusChanged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        var stores = JsonSerializer.Serialize(message.Stores, JsonSerializerOptions.Web);
        var now = clock.GetUtcNow();
        var changed = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO intake.case_status (case_id, state, "right", needs_triage, due_on, extended, extension_reason, stores, version, updated_at)
            VALUES ({message.CaseId}, {message.State}, {message.Right.ToString()}, {message.NeedsTriage}, {message.DueOn}, {message.Extended},
                    {message.ExtensionReason}, {stores}::jsonb, {message.Version}, {now})
            ON CONFLICT (case_id) DO UPDATE SET
                state = EXCLUDED.state, "right" = EXCLUDED."right", needs_triage = EXCLUDED.needs_triage, due_on = EXCLUDED.due_on,
                extended = EXCLUDED.extended, extension_reason = EXCLUDED.extension_reason,
                stores = EXCLUDED.stores, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
            WHERE intake.case_status.version < EXCLUDED.version
            """, context.CancellationToken);
        if (changed == 1)
        {
            LogStatus(message.CaseId, message.State, message.Version);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Case {CaseId} is now {State} (version {Version})")]
    private partial void LogStatus(Guid caseId, string state, int version);
}
