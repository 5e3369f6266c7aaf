using Closely.Stores.Operations;
using Closely.Stores.Registry;
using Npgsql;

namespace Closely.Benchmark;

/// <summary>Seeded people to erase, picked from a CRM sample store (every sample store holds the same people).</summary>
public static class SampleSubjects
{
    /// <summary>
    /// <paramref name="count"/> people spread over a store of <paramref name="people"/>: only people whose phone number no
    /// one else has, so that every case completes instead of waiting for the DPO on an ambiguous match (ADR 19).
    /// </summary>
    public static async Task<IReadOnlyList<string>> EmailsAsync(string crmStore, int count, int people, CancellationToken cancellationToken)
    {
        var phone = IdentityNormaliser.SqlExpression(IdentityKind.Phone, "phone");
        var sql = $"""
            SELECT p.email FROM people p
            WHERE p.id = ANY(@ids) AND (SELECT count(*) FROM people q WHERE {phone.Replace("phone", "q.phone", StringComparison.Ordinal)} = {phone.Replace("phone", "p.phone", StringComparison.Ordinal)}) = 1
            """;
        var random = new Random(20261203);
        var emails = new List<string>();
        var tried = new HashSet<long>();
        await using var connection = new NpgsqlConnection(crmStore);
        await connection.OpenAsync(cancellationToken);
        while (emails.Count < count)
        {
            var ids = Enumerable.Range(0, Math.Max(16, (count - emails.Count) * 2)).Select(_ => (long)random.Next(1, people + 1)).Where(tried.Add).ToArray();
            if (tried.Count >= people && ids.Length == 0)
            {
                throw new InvalidOperationException($"the store of {people} people has fewer than {count} people with a phone number of their own");
            }

            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("ids", ids);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken) && emails.Count < count)
            {
                emails.Add(reader.GetString(0));
            }
        }

        return emails;
    }
}
