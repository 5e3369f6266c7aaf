using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Closely.BuildingBlocks.Messaging;

/// <summary>The one bus set-up every Closely service uses.</summary>
public static class MessagingExtensions
{
    public const string ConnectionStringName = "messaging";

    /// <summary>
    /// MassTransit on RabbitMQ from <c>ConnectionStrings:messaging</c> (an amqp:// URI): kebab-case
    /// endpoints, retry with exponential back-off, an in-memory outbox so that messages leave only once
    /// a consumer (or saga) has finished without error, and the default <c>_error</c> queues, which
    /// keep failed messages visible to operators for <c>Messaging:ErrorRetention</c> (a broker policy,
    /// <see cref="ErrorQueueRetention"/>, ADR 38). Queues and exchanges are durable and messages
    /// persistent, and every send and publish waits for the broker's confirm (publisher confirms), so
    /// that a message the broker confirmed survives a broker restart; a send that is not confirmed
    /// throws, and the consumer's retry or Intake's outbox tries it again (ADR 13).
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? configure = null)
    {
        var hostAddress = MessagingHostAddress(builder.Configuration);
        builder.Services.AddOptions<ErrorQueueOptions>().Bind(builder.Configuration.GetSection(ErrorQueueOptions.SectionName));
        builder.Services.AddHostedService<ErrorQueueRetention>();

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            configure?.Invoke(bus);

            // Retry outside, outbox inside: each attempt starts with an empty outbox, so the messages of
            // a failed attempt are never sent.
            bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                endpoint.UseMessageRetry(retry => retry
                    .Exponential(6, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300))
                    .Ignore<PermanentFailureException>());
                endpoint.UseInMemoryOutbox(context);
            });

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(hostAddress, host => host.PublisherConfirmation = true);
                rabbit.ConfigureEndpoints(context);
            });
        });

        return builder;
    }

    public static Uri MessagingHostAddress(IConfiguration configuration)
    {
        var value = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} is not set. Set it to the RabbitMQ amqp:// URI " +
                "(./run.sh and ./test.sh do this for the local servers).");
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} must be an amqp:// or amqps:// URI.");
        }

        return uri;
    }
}
