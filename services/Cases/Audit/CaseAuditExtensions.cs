using Closely.BuildingBlocks.Hosting;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Telemetry;
using Microsoft.Extensions.Options;

namespace Closely.Cases.Audit;

public static class CaseAuditExtensions
{
    /// <summary>
    /// The keyed audit chain and its anchors (with their writer), the chain verifier, the evidence export, the record of
    /// views of personal data, and the case gauges with their refresher. A missing or malformed audit key stops start-up, naming the setting.
    /// </summary>
    public static IHostApplicationBuilder AddCaseAudit(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<AuditOptions>()
            .Bind(builder.Configuration.GetSection(AuditOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidation>();
        builder.Services.AddSingleton<CaseAuditChain>();
        builder.Services.AddSingleton<AnchorKeys>();
        builder.Services.AddSingleton<AnchorFile>();
        builder.Services.AddSingleton<AuditAnchors>();
        builder.Services.AddHostedService<AuditAnchorWriter>();
        builder.Services.AddScoped<CaseAuditVerifier>();
        builder.Services.AddScoped<CaseEvidenceExporter>();
        builder.Services.AddScoped<CaseAccessLog>();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<CaseMetrics>();
        builder.Services.AddPeriodicBackgroundService<CaseMetricsRefresher>();
        return builder;
    }

    private sealed class AuditOptionsValidation : IValidateOptions<AuditOptions>
    {
        public ValidateOptionsResult Validate(string? name, AuditOptions options)
        {
            var problem = KeyRing.Problem(options.ChainKeyRing())
                ?? AnchorKeys.Problem(options.AnchorSigningKey, isPrivate: true, $"{AuditOptions.SectionName}:{nameof(AuditOptions.AnchorSigningKey)}")
                ?? options.AnchorPublicKeys
                    .Select(k => AnchorKeys.Problem(k.Value, isPrivate: false, $"{AuditOptions.SectionName}:{nameof(AuditOptions.AnchorPublicKeys)}:{k.Key}"))
                    .FirstOrDefault(p => p is not null)
                ?? (string.IsNullOrWhiteSpace(options.AnchorKeyId) ? $"{AuditOptions.SectionName}:{nameof(AuditOptions.AnchorKeyId)} is empty." : null)
                ?? (string.IsNullOrWhiteSpace(options.AnchorDirectory)
                    ? $"{AuditOptions.SectionName}:{nameof(AuditOptions.AnchorDirectory)} is not set: the folder of the append-only anchor file, outside the database."
                    : null)
                ?? (options.AnchorInterval < TimeSpan.FromMinutes(1) ? $"{AuditOptions.SectionName}:{nameof(AuditOptions.AnchorInterval)} must be at least a minute." : null);
            return problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problem);
        }
    }
}
