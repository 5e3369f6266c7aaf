using System.Diagnostics;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What keeps personal data and link tokens out of every service's logs and traces (ADR 33): links carry their token
/// in the query, never in the path; the query is never recorded; data classified as personal is erased from logs.
/// </summary>
public static class TelemetryPrivacy
{
    /// <summary>The category of ASP.NET Core's "Request starting/finished" lines, which write the URL with its query.</summary>
    public const string RequestLineCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>
    /// Erases every classified value (e.g. <c>[PersonalData]</c>) that reaches a log: a parameter so marked, or a
    /// property of a <c>[LogProperties]</c> object. Keeps ASP.NET Core's request lines, which carry the query, out of
    /// every log at any configured level (the request is still a span, without its query).
    /// </summary>
    public static ILoggingBuilder AddPersonalDataRedaction(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.EnableRedaction();
        logging.Services.AddRedaction(redaction => redaction.SetFallbackRedactor<ErasingRedactor>());
        // Added after the configuration's rules, so it wins over a "Logging:LogLevel" of the same category.
        logging.AddFilter(RequestLineCategory, LogLevel.Warning);
        return logging;
    }

    /// <summary>
    /// Drops <c>url.query</c> from an incoming request's span: links carry tokens there (verification, status and
    /// download links). The instrumentation redacts the values by default unless told otherwise; this does not depend on it.
    /// </summary>
    public static void DropQuery(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        activity.SetTag("url.query", null);
    }
}
