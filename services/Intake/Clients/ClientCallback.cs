namespace Closely.Intake.Clients;

/// <summary>
/// The body of a status callback: Intake POSTs it as JSON (camelCase) to the client's <c>CallbackUrl</c>
/// after every change of a case the client sent, signed as <see cref="CallbackSignature"/> describes.
/// <list type="bullet">
/// <item>Delivery is at least once: the same change may arrive more than once, and changes may arrive out of
/// order. Keep, per request, the callback with the highest <see cref="Version"/> and ignore older ones.</item>
/// <item>Answer any 2xx once the callback is stored; anything else (or no answer within about ten seconds)
/// is retried with back-off, then parked for Closely's operators.</item>
/// <item>It carries no personal data: the request is named by its id and reference only.</item>
/// </list>
/// </summary>
/// <param name="Event">Always <c>request.status-changed</c>.</param>
/// <param name="RequestId">The id the client API answered with.</param>
/// <param name="Reference">The reference the data subject sees, e.g. <c>DSR-2026-7K3M9Q</c>.</param>
/// <param name="Status">The case's state in kebab-case, e.g. <c>awaiting-verification</c>, <c>executing</c>, <c>completed</c>.</param>
/// <param name="DueOn">The statutory due date (Art 12(3) GDPR), later when <paramref name="Extended"/>.</param>
/// <param name="Extended">The deadline was extended by two months.</param>
/// <param name="Stores">Progress per store: <c>pending</c>, <c>completed</c> or <c>failed</c>.</param>
/// <param name="Version">Grows with every change of the case.</param>
public sealed record ClientCallback(
    string Event,
    Guid RequestId,
    string Reference,
    string Status,
    DateOnly DueOn,
    bool Extended,
    IReadOnlyList<ClientStoreStatus> Stores,
    int Version)
{
    public const string StatusChanged = "request.status-changed";
}

public sealed record ClientStoreStatus(string StoreId, string Status);
