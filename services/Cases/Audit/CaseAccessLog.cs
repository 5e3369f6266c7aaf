using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Persistence;
using Closely.Cases.Saga;
using Microsoft.EntityFrameworkCore;

namespace Closely.Cases.Audit;

/// <summary>A view or download of a case's personal data in the console.</summary>
public enum PersonalDataAccess
{
    /// <summary>The case page, with the requester's and the agent's addresses and what the requester wrote.</summary>
    CasePage,

    /// <summary>The agent's written authority.</summary>
    AuthorityDocument,

    /// <summary>The evidence export, which names the requester.</summary>
    EvidenceExport,
}

/// <summary>
/// Records every view or download of a case's personal data in the case's audit trail, with the viewer's pseudonym,
/// before the data is shown: no record, no data. Besides the saga, the one writer of the trail (ADR 17): it appends
/// under the case's version, so a saga update at the same moment makes one of the two try again on the current row.
/// </summary>
public sealed class CaseAccessLog(CasesDbContext db, CaseAuditChain chain, PersonalDataProtector protector, TimeProvider clock)
{
    private const int Attempts = 5;

    /// <summary>Appends the access to case <paramref name="caseId"/>'s trail; false when there is no such case.</summary>
    public async Task<bool> RecordAsync(Guid caseId, string userName, PersonalDataAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userName);
        var (action, detail) = access switch
        {
            PersonalDataAccess.CasePage => ("viewed", "The case page, with the requester's personal data, was shown."),
            PersonalDataAccess.AuthorityDocument => ("document-downloaded", "The agent's written authority was downloaded."),
            _ => ("evidence-exported", "The evidence export, which names the requester, was downloaded."),
        };
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var saga = await db.Cases.SingleOrDefaultAsync(c => c.CorrelationId == caseId, cancellationToken);
            if (saga is null)
            {
                return false;
            }

            CaseAudit.Append(saga, clock.GetUtcNow(), protector.Pseudonym(userName), action, detail);
            saga.Version++;
            try
            {
                await db.SaveWithAuditAsync(saga, chain, cancellationToken);
                return true;
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                // The saga saved the case meanwhile: append again to the current row.
            }
        }
    }
}
