using Closely.BuildingBlocks.Privacy;
using Closely.Notification.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closely.Notification.Quota;

/// <summary>
/// Limits how many emails anyone can make the platform send one address per UTC day (issue 14, ADR 42). Only the
/// emails a request alone causes, before the address's owner confirmed anything, are counted and limited: the
/// acknowledgement, the verification link (first, re-sent and renewed) and the not-verified closing notice. The rest
/// (statutory notices of a confirmed case, DPO decisions, mail to the DPO) are never dropped.
/// </summary>
public sealed class RecipientQuota(PersonalDataProtector protector, IOptions<RecipientQuotaOptions> options)
{
    /// <summary>The templates whose emails count against the recipient's daily quota.</summary>
    public static IReadOnlySet<string> LimitedTemplates { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "acknowledgement", "acknowledgement-unclear", "verify-identity", "not-verified",
    };

    /// <summary>
    /// Counts one email of <paramref name="template"/> to <paramref name="recipient"/> on <paramref name="now"/>'s UTC
    /// day, in <paramref name="db"/>'s current transaction; false when the address has had its quota of limited emails
    /// that day (nothing is counted then). Emails of other templates are not counted and always allowed.
    /// </summary>
    public async Task<bool> TryCountAsync(NotificationDbContext db, string recipient, string template, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!LimitedTemplates.Contains(template))
        {
            return true;
        }

        var hash = protector.EmailIndex(recipient);
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        var limit = options.Value.DailyLimitPerRecipient;
        // One statement, so that concurrent emails to one address are counted one after the other (the row's lock).
        var counted = await db.Database.SqlQuery<int>($"""
            INSERT INTO notification.recipient_days AS r (recipient_hash, day, mails) VALUES ({hash}, {day}, 1)
            ON CONFLICT (recipient_hash, day) DO UPDATE SET mails = r.mails + 1 WHERE r.mails < {limit}
            RETURNING r.mails AS "Value"
            """).ToListAsync(cancellationToken);
        if (counted is [1])
        {
            // The first count of this address today: the counts of earlier days protect no one any more.
            await db.Database.ExecuteSqlAsync($"DELETE FROM notification.recipient_days WHERE day < {day}", cancellationToken);
        }

        return counted.Count == 1;
    }
}
