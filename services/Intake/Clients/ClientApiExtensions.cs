using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Closely.Intake.Clients;

/// <summary>Wiring of the client API, its callbacks and the OpenAPI document.</summary>
public static class ClientApiExtensions
{
    /// <summary>
    /// Clients from configuration, API key authentication, the per-client rate limit, the HttpClient for
    /// callbacks (with the service defaults' standard resilience; see <see cref="CallbackConnections"/>) and the OpenAPI document. The callback
    /// consumer, <see cref="ClientCallbackConsumer"/>, is registered with the bus.
    /// </summary>
    public static IHostApplicationBuilder AddClientApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ClientApiOptions>()
            .Bind(builder.Configuration.GetSection(ClientApiOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClientApiOptions>, ClientApiOptionsValidator>();
        builder.Services.AddSingleton<ClientDirectory>();

        // The only scheme, so ASP.NET Core makes it the default and every request passes the handler; without
        // the header it has no opinion. The client routes require an authenticated client through the policy.
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ClientApiKeyHandler>(ClientApiKeyHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ClientApiKeyHandler.PolicyName, policy => policy
                .AddAuthenticationSchemes(ClientApiKeyHandler.SchemeName)
                .RequireAuthenticatedUser());
        builder.Services.AddRateLimiter(limiter => limiter.AddPolicy<string, ClientRateLimitPolicy>(ClientApi.RateLimitPolicy));

        builder.Services.AddHttpClient(ClientCallbackConsumer.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(services => CallbackConnections.Handler(
                services.GetRequiredService<IOptions<ClientApiOptions>>().Value.ClientCallbacks.AllowPrivateNetworks));
        builder.Services.AddIntakeOpenApi();
        return builder;
    }

    /// <summary>
    /// The client routes and <c>/openapi/v1.json</c>; the exception handler, status code pages and rate limiter of
    /// Program.cs serve them. The authentication and authorization middleware that WebApplication adds in front
    /// of those authenticates a client before the rate limiter partitions by client.
    /// </summary>
    public static WebApplication MapClientApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi();
        app.MapClientEndpoints();
        return app;
    }
}
