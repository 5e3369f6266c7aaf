namespace Closely.Stores.Operations;

/// <summary>
/// What the services' own roles may do in a store (ADR 40). DataLocator's <see cref="LocatorRole"/> reads the entity
/// tables, their <c>_available</c> views and the restriction list; ErasureExecutor's <see cref="ExecutorRole"/> also
/// changes and deletes entity rows, lists and lifts restrictions and keeps its ledger (<c>closely_dsr</c>). Neither may
/// create anything, so the ledger and the restriction list are created here, by the store's owner; no other role may
/// connect. The roles are the server's (scripts/lib/service-accounts.sh creates them): a server without them (an
/// integration test's) gets the tables and no grants.
/// </summary>
public static class StoreAccess
{
    public const string LocatorRole = "closely_locator";
    public const string ExecutorRole = "closely_executor";

    /// <summary>The statements, for the store's owner, that give the two roles <paramref name="entityTables"/>.</summary>
    public static IReadOnlyList<string> Statements(IReadOnlyList<string> entityTables)
    {
        ArgumentNullException.ThrowIfNull(entityTables);
        var tables = string.Join(", ", entityTables.Select(IdentityNormaliser.QuoteIdentifier));
        var views = string.Join(", ", entityTables.Select(t => IdentityNormaliser.QuoteIdentifier(RestrictionList.AvailableViewName(t))));
        return
        [
            .. StoreLedger.Creation,
            $"""
            DO $access$
            BEGIN
                EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
                IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{LocatorRole}') THEN
                    EXECUTE format('GRANT CONNECT ON DATABASE %I TO {LocatorRole}', current_database());
                    GRANT USAGE ON SCHEMA public, closely_dsr TO {LocatorRole};
                    GRANT SELECT ON {tables}, {views}, {RestrictionList.Table} TO {LocatorRole};
                END IF;
                IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{ExecutorRole}') THEN
                    EXECUTE format('GRANT CONNECT ON DATABASE %I TO {ExecutorRole}', current_database());
                    GRANT USAGE ON SCHEMA public, closely_dsr TO {ExecutorRole};
                    GRANT SELECT, UPDATE, DELETE ON {tables} TO {ExecutorRole};
                    GRANT SELECT ON {views} TO {ExecutorRole};
                    GRANT SELECT, INSERT, UPDATE, DELETE ON {RestrictionList.Table} TO {ExecutorRole};
                    GRANT SELECT, INSERT, UPDATE ON {StoreLedger.Table} TO {ExecutorRole};
                END IF;
            END
            $access$
            """,
        ];
    }
}
