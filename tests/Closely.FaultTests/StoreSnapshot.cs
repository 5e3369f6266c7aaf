using Closely.IntegrationTests.Stores;
using Closely.Stores.Operations;
using Closely.Stores.Registry;

namespace Closely.FaultTests;

/// <summary>
/// What the sample stores hold, before and after the batch: every entity's row count, the rows the subjects' and the
/// bystanders' emails find (the stores' own matching), rows that still carry a subject's email as text, and each
/// bystander's CRM row as a whole; for an entity under a legal hold, the subjects' rows its <c>_available</c> view shows.
/// </summary>
public sealed class StoreSnapshot
{
    private const string Crm = "hetzner-fsn1-crm";

    private StoreSnapshot()
    {
    }

    /// <summary>Rows per "store/entity".</summary>
    public Dictionary<string, long> Total { get; } = [];

    /// <summary>Rows per person and "store/entity" that the person's email finds.</summary>
    public Dictionary<(int Person, string Entity), int> Found { get; } = [];

    /// <summary>Per subject and "store/entity", rows whose text still holds the subject's email.</summary>
    public Dictionary<(int Person, string Entity), long> Holding { get; } = [];

    /// <summary>MD5 of each bystander's CRM people row.</summary>
    public Dictionary<int, string> BystanderRows { get; } = [];

    /// <summary>Rows carrying a subject's email that the store's applications still see (its <c>_available</c> view), per entity under a legal hold.</summary>
    public Dictionary<(int Person, string Entity), long> Visible { get; } = [];

    public IReadOnlyList<Person> Subjects { get; private init; } = [];

    public IReadOnlyList<Person> Bystanders { get; private init; } = [];

    public static async Task<StoreSnapshot> TakeAsync(TestStores stores, IReadOnlyList<Person> subjects, IReadOnlyList<Person> bystanders)
    {
        ArgumentNullException.ThrowIfNull(stores);
        var snapshot = new StoreSnapshot { Subjects = subjects, Bystanders = bystanders };
        foreach (var store in stores.Registry.Stores)
        {
            foreach (var entity in store.Entities)
            {
                snapshot.Total[Key(store, entity)] = await stores.ScalarAsync<long>(store.Id, $"SELECT count(*) FROM \"{entity.Table}\"");
            }

            foreach (var person in subjects.Concat(bystanders))
            {
                var found = await stores.Operations.LocateAsync(store, new SubjectIdentifiers(person.Email), CancellationToken.None);
                foreach (var entity in store.Entities)
                {
                    snapshot.Found[(person.Id, Key(store, entity))] = found.Rows[entity.Name].Count;
                }
            }

            foreach (var subject in subjects)
            {
                foreach (var entity in store.Entities.Where(e => e.Identity.Count > 0))
                {
                    snapshot.Holding[(subject.Id, Key(store, entity))] = await stores.ScalarAsync<long>(
                        store.Id, $"SELECT count(*) FROM \"{entity.Table}\" t WHERE t::text ILIKE '%{subject.Email}%'");
                }

                foreach (var entity in store.Entities.Where(e => e.Hold is not null))
                {
                    snapshot.Visible[(subject.Id, Key(store, entity))] = await stores.ScalarAsync<long>(
                        store.Id, $"SELECT count(*) FROM \"{entity.Table}_available\" t WHERE t::text ILIKE '%{subject.Email}%'");
                }
            }
        }

        foreach (var bystander in bystanders)
        {
            snapshot.BystanderRows[bystander.Id] = await stores.ScalarAsync<string>(Crm, $"SELECT md5(p::text) FROM people p WHERE id = {bystander.Id}");
        }

        return snapshot;
    }

    /// <summary>
    /// Every subject gone from every store; every bystander's rows as they were; and every entity short by exactly the
    /// subjects' rows (deleted) or not at all (anonymised), so that no row of anybody else went.
    /// </summary>
    public static void AssertSubjectsGoneAndBystandersKept(TestStores stores, StoreSnapshot before, StoreSnapshot after)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var wrong = new List<string>();
        foreach (var store in stores.Registry.Stores)
        {
            foreach (var entity in store.Entities)
            {
                var key = Key(store, entity);
                if (entity.Hold is not null)
                {
                    wrong.AddRange(HeldRowsKept(before, after, key));
                    continue;
                }

                wrong.AddRange(after.Subjects
                    .Where(s => after.Found[(s.Id, key)] > 0 || after.Holding.GetValueOrDefault((s.Id, key)) > 0)
                    .Select(s => $"subject {s.Id} still in {key}: {after.Found[(s.Id, key)]} rows found, {after.Holding.GetValueOrDefault((s.Id, key))} holding the email"));
                wrong.AddRange(after.Bystanders
                    .Where(b => after.Found[(b.Id, key)] != before.Found[(b.Id, key)])
                    .Select(b => $"bystander {b.Id} in {key}: {before.Found[(b.Id, key)]} rows before, {after.Found[(b.Id, key)]} after"));

                var erased = entity.Erasure.Mode == ErasureMode.Delete ? before.Subjects.Sum(s => before.Found[(s.Id, key)]) : 0;
                if (after.Total[key] != before.Total[key] - erased)
                {
                    wrong.Add($"{key}: {before.Total[key]} rows before, {after.Total[key]} after, where the subjects' {erased} rows should have gone");
                }
            }
        }

        wrong.AddRange(before.Bystanders
            .Where(b => after.BystanderRows[b.Id] != before.BystanderRows[b.Id])
            .Select(b => $"bystander {b.Id}'s CRM row changed"));
        Assert.True(wrong.Count == 0, "the stores after the batch:\n" + string.Join('\n', wrong));
    }

    /// <summary>A legal hold keeps the subjects' rows, restricted (ADR 28): all still there, none visible to the applications.</summary>
    private static IEnumerable<string> HeldRowsKept(StoreSnapshot before, StoreSnapshot after, string key)
    {
        if (after.Total[key] != before.Total[key])
        {
            yield return $"{key} is under a legal hold: {before.Total[key]} rows before, {after.Total[key]} after";
        }

        foreach (var subject in after.Subjects.Where(s => after.Holding[(s.Id, key)] != before.Holding[(s.Id, key)] || after.Visible[(s.Id, key)] > 0))
        {
            yield return $"subject {subject.Id} in {key} (legal hold): {before.Holding[(subject.Id, key)]} rows before, {after.Holding[(subject.Id, key)]} after, {after.Visible[(subject.Id, key)]} still available";
        }
    }

    private static string Key(StoreDefinition store, EntityDefinition entity) => $"{store.Id}/{entity.Name}";
}
