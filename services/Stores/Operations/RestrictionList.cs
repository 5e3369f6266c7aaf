namespace Closely.Stores.Operations;

/// <summary>
/// How a store makes a subject's rows unavailable without deleting them (Art 18, ADR 27): each restricted row
/// is listed in <see cref="Table"/> (entity table, row key, the case that restricted it, the ground and, for a
/// legal hold, the day it ends), and the store's applications read every entity table <c>&lt;table&gt;</c>
/// through the view <c>&lt;table&gt;_available</c> (<see cref="AvailableView"/>), which leaves listed rows out.
/// Lifting a restriction removes the case's entries; the rows are then visible again.
/// </summary>
public static class RestrictionList
{
    public const string Table = "closely_dsr.restrictions";

    /// <summary>The statements that create the list; the ledger runs them on first use, the sample stores when seeded.</summary>
    public static IReadOnlyList<string> Creation { get; } =
    [
        "CREATE SCHEMA IF NOT EXISTS closely_dsr",
        $"""
        CREATE TABLE IF NOT EXISTS {Table} (
            entity_table text NOT NULL,
            row_key bigint NOT NULL,
            case_id uuid NOT NULL,
            ground text NOT NULL,
            hold_ends_on date,
            restricted_at timestamptz NOT NULL,
            PRIMARY KEY (entity_table, row_key, case_id))
        """,
        $"CREATE INDEX IF NOT EXISTS restrictions_case ON {Table} (case_id)",
    ];

    /// <summary>The name of the view through which applications read <paramref name="table"/>.</summary>
    public static string AvailableViewName(string table) => table + "_available";

    /// <summary>Creates (or replaces) the view of <paramref name="table"/> without its restricted rows.</summary>
    public static string AvailableView(string table, string key)
    {
        var quotedTable = IdentityNormaliser.QuoteIdentifier(table);
        return $"CREATE OR REPLACE VIEW {IdentityNormaliser.QuoteIdentifier(AvailableViewName(table))} AS " +
            $"SELECT t.* FROM {quotedTable} t WHERE NOT EXISTS (SELECT 1 FROM {Table} r " +
            $"WHERE r.entity_table = '{table.Replace("'", "''", StringComparison.Ordinal)}' AND r.row_key = t.{IdentityNormaliser.QuoteIdentifier(key)})";
    }
}
