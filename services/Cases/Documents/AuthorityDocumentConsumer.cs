using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Persistence;
using Closely.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Closely.Cases.Documents;

/// <summary>
/// Keeps the written authority an agent sent with a request, for the DPO to review in the console.
/// A repeated <see cref="DsrReceived"/> finds the document stored and changes nothing.
/// </summary>
public sealed class AuthorityDocumentConsumer(CasesDbContext db, PersonalDataProtector protector) : IConsumer<DsrReceived>
{
    public async Task Consume(ConsumeContext<DsrReceived> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Message.AgentAuthority(protector) is not { } document)
        {
            return;
        }

        if (await db.AuthorityDocuments.AnyAsync(d => d.CaseId == context.Message.CaseId, context.CancellationToken))
        {
            return;
        }

        db.AuthorityDocuments.Add(new AuthorityDocument
        {
            CaseId = context.Message.CaseId,
            FileName = document.FileName,
            ContentType = document.ContentType,
            Content = document.Content,
            ReceivedAt = context.Message.ReceivedAt,
        });
        try
        {
            await db.SaveChangesAsync(context.CancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Stored by a concurrent delivery of the same message.
        }
    }
}
