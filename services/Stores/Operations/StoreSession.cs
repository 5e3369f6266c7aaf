using Npgsql;

namespace Closely.Stores.Operations;

/// <summary>
/// An open store connection and, while an action runs, its transaction: what the subject matching, the
/// action's effect and the ledger share, so that they read and write one consistent state.
/// </summary>
internal readonly record struct StoreSession(NpgsqlConnection Connection, NpgsqlTransaction? Transaction)
{
    /// <summary>Inside an action the subject's rows are locked from matching until commit.</summary>
    public bool LocksRows => Transaction is not null;

    public NpgsqlCommand Command(string sql = "") => new(sql, Connection, Transaction);

    /// <summary>Adds <paramref name="value"/> as the next parameter of <paramref name="command"/> and returns its placeholder.</summary>
    public static string Parameter<T>(NpgsqlCommand command, T value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var name = $"p{command.Parameters.Count}";
        command.Parameters.Add(new NpgsqlParameter<T>(name, value));
        return "@" + name;
    }
}
