using System.Text.Json;

namespace Closely.BuildingBlocks.Privacy;

/// <summary>
/// Where an encrypted value lives: its table (schema-qualified), its column and its row's key. It is bound to
/// the ciphertext as associated data, so a value copied to another row, column or table no longer decrypts.
/// </summary>
public readonly record struct EncryptionContext(string Table, string Column, string RowId)
{
    /// <summary>The associated data: the three names as a JSON array, unambiguous whatever they contain.</summary>
    internal byte[] AssociatedData() => JsonSerializer.SerializeToUtf8Bytes(new[] { Table, Column, RowId });

    public override string ToString() => $"{Table}.{Column} of row {RowId}";
}
