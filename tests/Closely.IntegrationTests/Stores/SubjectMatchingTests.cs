using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Closely.Stores.Operations;
using Closely.Stores.Registry;

namespace Closely.IntegrationTests.Stores;

/// <summary>
/// Conservative subject matching on the sample stores: an identifier found on the subject's rows widens
/// the search only when it is distinctive and points at the subject alone; what it would have reached
/// otherwise is left alone and named (entity and kind) for the DPO.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class SubjectMatchingTests(PlatformServers servers) : IAsyncLifetime
{
    private const string Crm = "hetzner-fsn1-crm";

    // A person's rows per store and table, found independently of the registry by the person's email.
    private static readonly (string Store, string Table, string Rows)[] PersonTables =
    [
        (Crm, "people", "SELECT * FROM people WHERE lower(email) = '{0}'"),
        (Crm, "shared_data", "SELECT * FROM shared_data WHERE lower(email) = '{0}' OR person_id IN (SELECT id FROM people WHERE lower(email) = '{0}')"),
        ("hetzner-hel1-outreach", "contacts", "SELECT * FROM contacts WHERE lower(email) = '{0}'"),
        ("hetzner-hel1-outreach", "messages", "SELECT * FROM messages WHERE contact_id IN (SELECT id FROM contacts WHERE lower(email) = '{0}')"),
        ("aws-euc1-analytics", "profiles", "SELECT * FROM profiles WHERE lower(btrim(email)) = '{0}'"),
        ("aws-euc1-analytics", "activity_events", "SELECT * FROM activity_events WHERE profile_id IN (SELECT id FROM profiles WHERE lower(btrim(email)) = '{0}')"),
    ];

    private TestStores _stores = null!;

    public async Task InitializeAsync() => _stores = await TestStores.CreateAsync(servers);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Erasing_a_person_who_shares_a_phone_with_another_leaves_the_others_rows_in_every_store_and_names_the_ambiguous_entity()
    {
        // Persons 10 and 15 (both with client-contributed records) get one switchboard number.
        var subject = await _stores.EmailOfAsync(10);
        var bystander = await _stores.EmailOfAsync(15);
        await _stores.ExecuteAsync(Crm, "UPDATE people SET phone = (SELECT phone FROM people WHERE id = 10) WHERE id = 15");
        var bystanderBefore = await RowsOfAsync(bystander);
        Assert.All(bystanderBefore, rows => Assert.False(rows.Value.StartsWith("0:", StringComparison.Ordinal), $"person 15 has rows in {rows.Key}"));

        var located = await _stores.Operations.LocateAsync(_stores.Store(Crm), new SubjectIdentifiers(subject), CancellationToken.None);
        Assert.Equal([Ambiguous("people", "phone")], located.Ambiguous);
        Assert.Equal((1, 1), (located.RowsPerEntity["people"], located.RowsPerEntity["shared_data"]));

        var erased = new Dictionary<string, StoreActionRecord>();
        foreach (var store in _stores.Registry.Stores)
        {
            erased[store.Id] = await _stores.Operations.EraseAsync(store, new StoreActionRequest(Guid.NewGuid(), new SubjectIdentifiers(subject)), CancellationToken.None);
        }

        Assert.Equal(bystanderBefore, await RowsOfAsync(bystander));
        Assert.All(await RowsOfAsync(subject), rows => Assert.True(rows.Value.StartsWith("0:", StringComparison.Ordinal), $"the subject is left in {rows.Key}"));
        Assert.Equal([Ambiguous("people", "phone")], erased[Crm].Ambiguous);
        Assert.All(erased.Where(e => e.Key != Crm), e => Assert.Empty(e.Value.Ambiguous));

        // Downstream systems are not given the shared number to match on: it would lead them to the bystander too.
        Assert.Equal(["email", "linkedin"], erased[Crm].Subject.Select(h => h.Kind).Order());
    }

    [Fact]
    public async Task Exporting_a_person_who_shares_a_phone_with_another_exports_only_the_subjects_rows_and_names_the_ambiguous_entity()
    {
        var subject = await _stores.EmailOfAsync(10);
        var bystander = await _stores.EmailOfAsync(15);
        await _stores.ExecuteAsync(Crm, "UPDATE people SET phone = (SELECT phone FROM people WHERE id = 10) WHERE id = 15");

        var exported = new Dictionary<string, List<string>>();
        var match = await _stores.Operations.ExportAsync(_stores.Store(Crm), new SubjectIdentifiers(subject), providedOnly: false, async (entity, reader, ct) =>
        {
            var rows = exported[entity.Name] = [];
            while (await reader.ReadAsync(ct))
            {
                rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
            }
        }, CancellationToken.None);

        Assert.Equal([Ambiguous("people", "phone")], match.Ambiguous);
        Assert.Equal(["people", "shared_data", "invoices"], exported.Keys);
        Assert.Equal((1, 1, 0), (exported["people"].Count, exported["shared_data"].Count, exported["invoices"].Count));
        Assert.Contains(subject, exported["people"][0], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(exported.Values.SelectMany(r => r), row => row.Contains(bystander, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_portability_export_reads_only_the_entities_the_person_provided()
    {
        var exported = new List<string>();
        await _stores.Operations.ExportAsync(_stores.Store("aws-euc1-analytics"), new SubjectIdentifiers(await _stores.EmailOfAsync(10)), providedOnly: true, (entity, _, _) =>
        {
            exported.Add(entity.Name);
            return Task.CompletedTask;
        }, CancellationToken.None);

        Assert.Equal(["activity_events"], exported);
    }

    [Theory]
    [InlineData("linkedin_url", "https://www.linkedin.com/in/someone-only-here", true)]
    [InlineData("linkedin_url", "https://www.linkedin.com/company/acme-gmbh", false)]
    [InlineData("phone", "+49 30 9876 5432", true)]
    [InlineData("phone", "+49 301 23", false)]
    public async Task Only_a_LinkedIn_profile_and_a_phone_of_at_least_8_digits_widen_the_search(string column, string value, bool widens)
    {
        var kind = column == "phone" ? IdentityKind.Phone : IdentityKind.LinkedIn;
        var subject = await _stores.EmailOfAsync(20);
        await _stores.ExecuteAsync(Crm, $"UPDATE people SET {column} = '{value}' WHERE id = 20");
        if (kind == IdentityKind.LinkedIn)
        {
            // A client's record holding nothing but that URL: the subject's when the URL is her profile.
            await _stores.ExecuteAsync(Crm,
                $"INSERT INTO shared_data (person_id, contributed_by_client, email, linkedin_url, notes, contributed_at) VALUES (NULL, 'client-3', NULL, '{value}/', 'from a list', now())");
        }

        var match = await _stores.Operations.LocateAsync(_stores.Store(Crm), new SubjectIdentifiers(subject), CancellationToken.None);

        Assert.Equal(widens, match.Identifiers.Contains(new Identifier(kind, IdentityNormaliser.Normalise(kind, value))));
        Assert.Equal(1, match.RowsPerEntity["people"]);
        if (kind == IdentityKind.LinkedIn)
        {
            Assert.Equal(widens ? 2 : 1, match.RowsPerEntity["shared_data"]);
            Assert.Equal(widens ? [] : [Ambiguous("shared_data", "linkedin")], match.Ambiguous);
        }
        else
        {
            // The number is on no other row, so nothing is left behind to report.
            Assert.Empty(match.Ambiguous);
        }
    }

    [Theory]
    [InlineData("with the email of person 30", "NULL", "(SELECT email FROM people WHERE id = 30)")]
    [InlineData("attached to person 30", "30", "NULL")]
    public async Task A_client_record_pairing_the_subjects_LinkedIn_URL_with_someone_else_keeps_the_URL_from_widening(string record, string personId, string email)
    {
        var subject = await _stores.EmailOfAsync(25);
        await _stores.ExecuteAsync(Crm, $"""
            INSERT INTO shared_data (person_id, contributed_by_client, email, linkedin_url, notes, contributed_at)
            SELECT {personId}, 'client-4', {email}, linkedin_url, '{record}', now() FROM people WHERE id = 25;
            INSERT INTO shared_data (person_id, contributed_by_client, email, linkedin_url, notes, contributed_at)
            SELECT NULL, 'client-5', NULL, linkedin_url, 'only the URL', now() FROM people WHERE id = 25;
            """);
        var othersRecords = await _stores.ScalarAsync<long>(Crm, "SELECT count(*) FROM shared_data WHERE contributed_by_client IN ('client-4', 'client-5')");

        var erased = await _stores.Operations.EraseAsync(_stores.Store(Crm), new StoreActionRequest(Guid.NewGuid(), new SubjectIdentifiers(subject)), CancellationToken.None);

        Assert.Equal([Ambiguous("shared_data", "linkedin")], erased.Ambiguous);
        Assert.Equal(["email", "phone"], erased.Subject.Select(h => h.Kind).Order());
        Assert.Equal(othersRecords, await _stores.ScalarAsync<long>(Crm, "SELECT count(*) FROM shared_data WHERE contributed_by_client IN ('client-4', 'client-5')"));
        Assert.Equal(0, await _stores.ScalarAsync<long>(Crm, $"SELECT count(*) FROM people WHERE email = '{subject}'"));
    }

    private static AmbiguousIdentifier Ambiguous(string entity, string kind) => new() { Entity = entity, Kind = kind };

    /// <summary>Per store and table: how many of the person's rows there are, and a checksum of them.</summary>
    private async Task<Dictionary<string, string>> RowsOfAsync(string email)
    {
        var rows = new Dictionary<string, string>();
        foreach (var (store, table, sql) in PersonTables)
        {
            rows[$"{store}/{table}"] = await _stores.ScalarAsync<string>(store,
                $"SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM ({string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, email)}) t");
        }

        return rows;
    }
}
