using System.Diagnostics;
using Closely.BuildingBlocks.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Closely.Benchmark;

/// <summary>
/// What the machine's servers do without the platform, measured in the same run on the same servers: raw MassTransit
/// publish-to-consume with the platform's own bus set-up (<see cref="MessagingExtensions.AddMessaging"/>: publisher
/// confirms, durable queues, retry and in-memory outbox), and PostgreSQL commits of one row each.
/// </summary>
public static class Baselines
{
    /// <summary>Publishers at once: each publish waits for the broker's confirm, as every platform publish does.</summary>
    public const int Publishers = 32;

    /// <summary>Connections committing at once, each a row per transaction.</summary>
    public const int Committers = 8;

    /// <summary>Messages per second from the first publish until the consumer has consumed the last.</summary>
    public static async Task<double> MassTransitMessagesPerSecondAsync(Uri virtualHost, int messages, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration[$"ConnectionStrings:{MessagingExtensions.ConnectionStringName}"] = virtualHost.ToString();
        var consumed = new BaselineCounter(messages);
        builder.Services.AddSingleton(consumed);
        builder.AddMessaging(bus => bus.AddConsumer<BaselineConsumer>());
        // StartAsync returns once the consumer's queue is bound: a message published before would go nowhere.
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            // One message first: the connection and the consumer are warm before the clock starts.
            await bus.Publish(new BaselineMessage(0), cancellationToken);
            await consumed.FirstAsync.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken);

            var clock = Stopwatch.StartNew();
            var next = 0;
            await Task.WhenAll(Enumerable.Range(0, Publishers).Select(async _ =>
            {
                int sequence;
                while ((sequence = Interlocked.Increment(ref next)) <= messages)
                {
                    await bus.Publish(new BaselineMessage(sequence), cancellationToken);
                }
            }));
            await consumed.AllAsync.WaitAsync(TimeSpan.FromMinutes(10), cancellationToken);
            return messages / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Commits per second of single-row INSERTs (one transaction each) from <see cref="Committers"/> connections.</summary>
    public static async Task<double> PostgresCommitsPerSecondAsync(string database, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand("CREATE TABLE benchmark_commits (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), committer int NOT NULL)", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var clock = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, Committers).Select(async committer =>
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync(cancellationToken);
            await using var insert = new NpgsqlCommand("INSERT INTO benchmark_commits (committer) VALUES (@committer)", connection);
            insert.Parameters.AddWithValue("committer", committer);
            var commits = 0L;
            while (clock.Elapsed < duration)
            {
                await insert.ExecuteNonQueryAsync(cancellationToken);
                commits++;
            }

            return commits;
        }));
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }
}

/// <summary>The raw baseline's message: a sequence number and nothing else.</summary>
public sealed record BaselineMessage(int Sequence);

public sealed class BaselineConsumer(BaselineCounter counter) : IConsumer<BaselineMessage>
{
    public Task Consume(ConsumeContext<BaselineMessage> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        counter.Consumed(context.Message.Sequence);
        return Task.CompletedTask;
    }
}

/// <summary>Counts the baseline's consumed messages (a redelivered one once): the warm-up message 0, then 1..N.</summary>
public sealed class BaselineCounter(int messages)
{
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool> _seen = new();

    public Task FirstAsync => _first.Task;

    public Task AllAsync => _all.Task;

    public void Consumed(int sequence)
    {
        if (sequence == 0)
        {
            _first.TrySetResult();
        }
        else if (_seen.TryAdd(sequence, true) && _seen.Count == messages)
        {
            _all.TrySetResult();
        }
    }
}
