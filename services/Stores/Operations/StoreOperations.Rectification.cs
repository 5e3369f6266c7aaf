using Closely.Contracts;
using Closely.Stores.Registry;
using Npgsql;

namespace Closely.Stores.Operations;

// Rectification (Art 16, ADR 29): the approved corrections written into the mapped columns of the subject's own rows.
public sealed partial class StoreOperations
{
    /// <summary>
    /// Writes each correction into the column its logical field is mapped to (<see cref="EntityDefinition.Fields"/>), in
    /// every entity that maps it, on the rows <see cref="SubjectMatcher"/> finds for the subject — never on rows reached only
    /// through an ambiguous identifier, and no other column. One transaction with the ledger row, done once per case; the
    /// record names the fields the store maps (<see cref="StoreActionRecord.Fields"/>).
    /// </summary>
    public async Task<StoreActionRecord> RectifyAsync(
        StoreDefinition store, StoreActionRequest request, IReadOnlyList<FieldCorrection> corrections, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(corrections);
        var record = await RunOnceAsync(store, request, StoreActionKind.Rectify,
            (session, definition, match, token) => CorrectRowsAsync(session, definition, match, corrections, token), cancellationToken);
        return record with { Fields = FieldsMapped(store, corrections) };
    }

    /// <summary>The corrected fields that some entity of <paramref name="store"/> maps, in <see cref="RectificationFields.All"/>'s order.</summary>
    public static IReadOnlyList<string> FieldsMapped(StoreDefinition store, IEnumerable<FieldCorrection> corrections)
    {
        ArgumentNullException.ThrowIfNull(store);
        var corrected = corrections.Select(c => c.Field).ToHashSet(StringComparer.Ordinal);
        return RectificationFields.All.Where(f => corrected.Contains(f) && store.Entities.Any(e => e.Fields.ContainsKey(f))).ToList();
    }

    private static async Task<int> CorrectRowsAsync(
        StoreSession session, StoreDefinition store, SubjectMatch match, IReadOnlyList<FieldCorrection> corrections, CancellationToken cancellationToken)
    {
        var updated = 0;
        foreach (var entity in store.Entities)
        {
            var keys = match.Rows[entity.Name];
            var columns = corrections.Where(c => entity.Fields.ContainsKey(c.Field)).Select(c => (Column: entity.Fields[c.Field], c.Correction)).ToList();
            if (keys.Count == 0 || columns.Count == 0)
            {
                continue;
            }

            var assignments = columns.Select((c, i) => $"{IdentityNormaliser.QuoteIdentifier(c.Column)} = @v{i}");
            await using var command = session.Command(
                $"UPDATE {IdentityNormaliser.QuoteIdentifier(entity.Table)} SET {string.Join(", ", assignments)} " +
                $"WHERE {IdentityNormaliser.QuoteIdentifier(entity.Key)} = ANY(@keys)");
            for (var i = 0; i < columns.Count; i++)
            {
                command.Parameters.Add(new NpgsqlParameter<string>($"v{i}", columns[i].Correction));
            }

            command.Parameters.Add(new NpgsqlParameter<long[]>("keys", keys.ToArray()));
            updated += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return updated;
    }
}
