using System.Threading.RateLimiting;
using Closely.BuildingBlocks.Deadlines;
using Closely.BuildingBlocks.Messaging;
using Closely.BuildingBlocks.Persistence;
using Closely.BuildingBlocks.Privacy;
using Closely.Intake.Clients;
using Closely.Intake.Mailbox;
using Closely.Intake.Outbox;
using Closely.Intake.Pages;
using Closely.Intake.Persistence;
using Closely.Intake.Requests;
using Closely.Intake.Status;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Closely.Intake;

public static class IntakeExtensions
{
    public static IHostApplicationBuilder AddIntakeServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<IntakeOptions>()
            .Bind(builder.Configuration.GetSection(IntakeOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.OutboxInterval > TimeSpan.Zero, "Intake:OutboxInterval must be positive.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddStatutoryDeadlines(builder.Configuration);
        builder.AddPersonalDataProtection();
        builder.AddServiceDatabase<IntakeDbContext>(IntakeDbContext.SchemaName);
        builder.AddMessaging(bus =>
        {
            bus.AddConsumer<CaseStatusConsumer>();
            bus.AddConsumer<ClientCallbackConsumer>();
        });
        builder.AddClientApi();

        builder.Services.AddScoped<RequestStore>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxPublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxPublisher>());
        builder.AddMailboxPoller();

        builder.Services.AddProblemDetails();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(RequestApi.SubmitRateLimitPolicy, http =>
            {
                var permits = http.RequestServices.GetRequiredService<IOptions<IntakeOptions>>().Value.RateLimit.PermitsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(
                    http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = "Too many requests from this address; try again in a minute.",
                    },
                });
            };
        });
        return builder;
    }

    /// <summary>The request API with its error handling and rate limiting.</summary>
    public static WebApplication MapRequestApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages(PageNegotiation.WriteStatusAsync);
        app.UseRateLimiter();
        app.MapRequestEndpoints();
        return app;
    }
}
