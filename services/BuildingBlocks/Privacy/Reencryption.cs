using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Closely.BuildingBlocks.Privacy;

/// <summary>What <see cref="Reencryption.RunAsync"/> did to one column.</summary>
public sealed record ReencryptedColumn(string Table, string Column, int Rewritten, IReadOnlyList<string> Unreadable);

/// <summary>
/// The <c>reencrypt</c> command: rewrites every value of every encrypted column of a context (<see cref="EncryptedColumns"/>)
/// that is not yet in the current format under the active key. Row by row, each update conditional on the value read,
/// so it runs beside the service and may be stopped and run again. A value that does not decrypt is named (table,
/// column, row key) and left as it is.
/// </summary>
public static partial class Reencryption
{
    private const int PageSize = 500;

    public static async Task<IReadOnlyList<ReencryptedColumn>> RunAsync(
        DbContext db, PersonalDataProtector protector, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(logger);
        var results = new List<ReencryptedColumn>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            foreach (var column in EncryptedColumns.Of(db.Model))
            {
                var result = await RewriteAsync(connection, column, protector, cancellationToken);
                LogColumn(logger, result.Table, result.Column, result.Rewritten, protector.ActiveKeyId, result.Unreadable.Count);
                foreach (var row in result.Unreadable)
                {
                    LogUnreadable(logger, result.Table, result.Column, row);
                }

                results.Add(result);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return results;
    }

    private static async Task<ReencryptedColumn> RewriteAsync(
        DbConnection connection, EncryptedColumn column, PersonalDataProtector protector, CancellationToken cancellationToken)
    {
        // Identifiers come from the service's own model, quoted; values travel as parameters.
        var table = $"\"{column.Schema}\".\"{column.Table}\"";
        var (value, key) = ($"\"{column.Column}\"", $"\"{column.KeyColumn}\"");
        var current = protector.ActiveKeyPrefix();
        var rewritten = 0;
        var unreadable = new List<string>();
        object? after = null;
        while (true)
        {
            var keys = new List<object>();
            await using (var page = Command(connection, $"""
                SELECT {key} FROM {table}
                WHERE {value} IS NOT NULL AND substring({value} from 1 for {current.Length}) <> @current
                {(after is null ? "" : $"AND {key} > @after")}
                ORDER BY {key} LIMIT {PageSize}
                """, ("current", current), ("after", after)))
            await using (var reader = await page.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    keys.Add(reader.GetValue(0));
                }
            }

            if (keys.Count == 0)
            {
                return new ReencryptedColumn($"{column.Schema}.{column.Table}", column.Column, rewritten, unreadable);
            }

            foreach (var rowKey in keys)
            {
                await using var read = Command(connection, $"SELECT {value} FROM {table} WHERE {key} = @key", ("key", rowKey));
                if (await read.ExecuteScalarAsync(cancellationToken) is not byte[] old)
                {
                    continue;
                }

                byte[] renewed;
                try
                {
                    var context = column.ContextFor(rowKey);
                    renewed = protector.EncryptBytes(protector.DecryptBytes(old, context), context);
                }
                catch (CryptographicException)
                {
                    unreadable.Add(Convert.ToString(rowKey, System.Globalization.CultureInfo.InvariantCulture)!);
                    continue;
                }

                await using var update = Command(connection, $"UPDATE {table} SET {value} = @renewed WHERE {key} = @key AND {value} = @old",
                    ("renewed", renewed), ("key", rowKey), ("old", old));
                rewritten += await update.ExecuteNonQueryAsync(cancellationToken);
            }

            after = keys[^1];
        }
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters.Where(p => p.Value is not null))
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-encrypted {Rewritten} values of {Table}.{Column} under key {KeyId}; {Unreadable} could not be read")]
    private static partial void LogColumn(ILogger logger, string table, string column, int rewritten, string keyId, int unreadable);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Table}.{Column} of row {Row} does not decrypt: it was changed, moved from another row, or its key is not configured")]
    private static partial void LogUnreadable(ILogger logger, string table, string column, string row);
}
