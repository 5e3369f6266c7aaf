using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace Closely.Benchmark;

/// <summary>
/// The commands run on one store's connections, as the platform's store operations built them (SQL and typed
/// parameters): the cost curve's data sources hand every command to it through Npgsql's tracing filter, so that the
/// curve EXPLAINs exactly what was run. Keeps each distinct SQL text once, with the parameters of its first run.
/// Npgsql asks the filter only while something listens to its activity source: <see cref="Listen"/>.
/// </summary>
public sealed class CommandLog
{
    private readonly ConcurrentDictionary<string, LoggedCommand> _commands = new(StringComparer.Ordinal);

    public IReadOnlyCollection<LoggedCommand> Commands => [.. _commands.Values.OrderBy(c => c.Order)];

    /// <summary>Listens to Npgsql's activity source without recording anything, so that data sources consult their command filters.</summary>
    public static IDisposable Listen()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    /// <summary>A data source on <paramref name="connectionString"/> whose commands come here.</summary>
    public NpgsqlDataSource DataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConfigureTracing(tracing => tracing.ConfigureCommandFilter(command =>
        {
            _commands.TryAdd(command.CommandText, new LoggedCommand(_commands.Count, command.CommandText, [.. command.Parameters.Select(p => p.Clone())]));
            return false;
        }));
        return builder.Build();
    }
}

/// <summary>One SQL text a store operation ran, with the parameters of its first run.</summary>
public sealed record LoggedCommand(int Order, string Sql, IReadOnlyList<NpgsqlParameter> Parameters);
