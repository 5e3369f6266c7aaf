using System.Text.Json;
using Npgsql;

namespace Closely.Benchmark;

/// <summary>
/// EXPLAINs the commands a store operation ran (<see cref="CommandLog"/>) on that store, with the parameters they ran
/// with: the planner's own plan, and — when it scans a table sequentially — the plan with sequential scans disabled,
/// which still scans sequentially only when no index can serve the query. Statements that are not queries (DDL,
/// <c>SET</c>) are not explained.
/// </summary>
public static class QueryPlans
{
    private static readonly string[] Queries = ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"];

    public static async Task<IReadOnlyList<QueryPlan>> ExplainAsync(
        string storeId, string connectionString, IEnumerable<LoggedCommand> commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var plans = new List<QueryPlan>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var command in commands.Where(c => Queries.Any(q => c.Sql.TrimStart().StartsWith(q, StringComparison.OrdinalIgnoreCase))))
        {
            try
            {
                var scanned = SequentiallyScanned(await ExplainAsync(connection, command, "JSON", seqScan: true, cancellationToken));
                plans.Add(scanned.Count == 0
                    ? new QueryPlan(storeId, command.Sql, [], IndexUsable: true, Text: null)
                    : new QueryPlan(storeId, command.Sql, scanned,
                        IndexUsable: SequentiallyScanned(await ExplainAsync(connection, command, "JSON", seqScan: false, cancellationToken)).Count == 0,
                        Text: await ExplainAsync(connection, command, "TEXT", seqScan: true, cancellationToken)));
            }
            catch (PostgresException e)
            {
                plans.Add(new QueryPlan(storeId, command.Sql, [], IndexUsable: false, Text: null) { Problem = $"not explained: {e.SqlState} {e.MessageText}" });
            }
        }

        return plans;
    }

    /// <summary>The tables a JSON plan scans sequentially (node type <c>Seq Scan</c>).</summary>
    public static IReadOnlyList<string> SequentiallyScanned(string jsonPlan)
    {
        using var document = JsonDocument.Parse(jsonPlan);
        var tables = new List<string>();
        foreach (var statement in document.RootElement.EnumerateArray())
        {
            Walk(statement.GetProperty("Plan"), tables);
        }

        return tables;
    }

    private static void Walk(JsonElement node, List<string> tables)
    {
        if (node.GetProperty("Node Type").GetString() == "Seq Scan")
        {
            tables.Add(node.TryGetProperty("Relation Name", out var relation) ? relation.GetString() ?? "?" : "?");
        }

        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                Walk(child, tables);
            }
        }
    }

    private static async Task<string> ExplainAsync(NpgsqlConnection connection, LoggedCommand logged, string format, bool seqScan, CancellationToken cancellationToken)
    {
        // EXPLAIN without ANALYZE runs nothing; the transaction only scopes the planner setting.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!seqScan)
        {
            await using var setting = new NpgsqlCommand("SET LOCAL enable_seqscan = off", connection, transaction);
            await setting.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand($"EXPLAIN (FORMAT {format}) {logged.Sql}", connection, transaction);
        foreach (var parameter in logged.Parameters)
        {
            command.Parameters.Add(parameter.Clone());
        }

        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                lines.Add(reader.GetString(0));
            }
        }

        await transaction.RollbackAsync(cancellationToken);
        return string.Join('\n', lines);
    }
}

/// <summary>
/// The plan of one query a store operation ran: the tables its own plan scans sequentially (none when it uses indexes
/// only), whether an index could serve it all the same (the plan with sequential scans disabled), and the plan's text
/// when it scans sequentially.
/// </summary>
public sealed record QueryPlan(string StoreId, string Sql, IReadOnlyList<string> SequentialScans, bool IndexUsable, string? Text)
{
    public string? Problem { get; init; }

    public bool IndexScansOnly => SequentialScans.Count == 0 && Problem is null;
}
