using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Closely.BuildingBlocks.Hosting;

/// <summary>
/// A background service that runs one pass at start and then one every <c>interval</c> on <see cref="Clock"/>. A pass
/// that throws is handed to <see cref="OnPassFailed"/> and the next pass runs at the next tick: the sweepers, purgers and
/// pollers built on it keep their work in the database or the mailbox until a pass commits, so a failed pass loses
/// nothing. Passes never overlap, and the loop ends when the host stops.
/// </summary>
public abstract class PeriodicBackgroundService(TimeSpan interval, TimeProvider clock) : BackgroundService
{
    protected TimeProvider Clock { get; } = clock;

    /// <summary>One pass of the work.</summary>
    protected abstract Task RunPassAsync(CancellationToken cancellationToken);

    /// <summary>Says that a pass failed (with what the next tick will do); the service carries on.</summary>
    protected abstract void OnPassFailed(Exception exception);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, Clock);
        do
        {
            try
            {
                await RunPassAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                OnPassFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

public static class PeriodicBackgroundServiceExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TService"/> once, as a singleton that tests and pages can call a pass on, and as the
    /// hosted service that runs it periodically.
    /// </summary>
    public static IServiceCollection AddPeriodicBackgroundService<TService>(this IServiceCollection services)
        where TService : PeriodicBackgroundService
    {
        services.AddSingleton<TService>();
        services.AddHostedService(sp => sp.GetRequiredService<TService>());
        return services;
    }
}
