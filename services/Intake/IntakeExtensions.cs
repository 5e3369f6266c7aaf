using Closely.BuildingBlocks.Deadlines;
using Closely.BuildingBlocks.Messaging;
using Closely.BuildingBlocks.Persistence;
using Closely.BuildingBlocks.Privacy;
using Closely.BuildingBlocks.Web;
using Closely.Intake.Clients;
using Closely.Intake.Mailbox;
using Closely.Intake.Outbox;
using Closely.Intake.Pages;
using Closely.Intake.Persistence;
using Closely.Intake.Requests;
using Closely.Intake.Retention;
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
            bus.AddConsumer<RequestRetentionConsumer>();
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
            limiter.AddPolicy(RequestApi.SubmitRateLimitPolicy, http => ClientAddressRateLimit.PerMinute(
                http, http.RequestServices.GetRequiredService<IOptions<IntakeOptions>>().Value.RateLimit.PermitsPerMinute));
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
}
