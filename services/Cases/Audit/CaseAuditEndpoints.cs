using System.Text.Json;

namespace Closely.Cases.Audit;

/// <summary>
/// The evidence export and the chain check of a case, mapped by the console: the console's fallback policy requires a
/// signed-in user, whose download of the evidence is recorded in the case's audit trail (<see cref="CaseAccessLog"/>).
/// </summary>
public static class CaseAuditEndpoints
{
    /// <summary>
    /// <c>GET cases/{id}/evidence</c>: the case's <see cref="CaseEvidence"/> as a JSON download.
    /// <c>GET cases/{id}/audit/verification</c>: the <see cref="ChainVerification"/>, <c>200</c> whether the
    /// chain is intact or not (see <c>intact</c>: a broken chain is a finding about the case, not a failed request).
    /// Both answer <c>404</c> ProblemDetails for an unknown case.
    /// </summary>
    public static RouteGroupBuilder MapCaseAuditEndpoints(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/cases/{id:guid}/evidence", DownloadEvidenceAsync);
        group.MapGet("/cases/{id:guid}/audit/verification", VerifyAsync);
        return group;
    }

    private static async Task<IResult> DownloadEvidenceAsync(
        Guid id, CaseEvidenceExporter exporter, CaseAccessLog access, HttpContext http, CancellationToken cancellationToken)
    {
        if (!await access.RecordAsync(id, http.User.Identity!.Name!, PersonalDataAccess.EvidenceExport, cancellationToken))
        {
            return UnknownCase(id);
        }

        var evidence = await exporter.ExportAsync(id, cancellationToken);
        if (evidence is null)
        {
            return UnknownCase(id);
        }

        // It names the requester: no cache may keep a copy.
        http.Response.Headers.CacheControl = "no-store";
        var content = JsonSerializer.SerializeToUtf8Bytes(evidence, CaseEvidence.JsonOptions);
        return Results.File(content, "application/json", $"evidence-{evidence.Case.Reference}.json");
    }

    private static async Task<IResult> VerifyAsync(Guid id, CaseAuditVerifier verifier, CancellationToken cancellationToken)
    {
        var verification = await verifier.VerifyAsync(id, cancellationToken);
        return verification is null ? UnknownCase(id) : Results.Json(verification, CaseEvidence.JsonOptions);
    }

    private static IResult UnknownCase(Guid id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown case", detail: $"There is no case {id}.");
}
