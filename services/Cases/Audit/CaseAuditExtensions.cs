using Closely.Cases.Telemetry;

namespace Closely.Cases.Audit;

public static class CaseAuditExtensions
{
    /// <summary>The audit chain verifier, the evidence export and the case gauges with their refresher.</summary>
    public static IHostApplicationBuilder AddCaseAudit(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<CaseAuditVerifier>();
        builder.Services.AddScoped<CaseEvidenceExporter>();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<CaseMetrics>();
        builder.Services.AddSingleton<CaseMetricsRefresher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CaseMetricsRefresher>());
        return builder;
    }
}
