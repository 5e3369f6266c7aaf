using Closely.IntegrationTests.Infrastructure;
using Closely.Stores.Operations;

namespace Closely.IntegrationTests.Stores;

/// <summary>Locating and erasing the demo subject in the three sample stores, on real PostgreSQL.</summary>
[Collection(PlatformServersCollection.Name)]
public sealed class StoreOperationsTests(PlatformServers servers) : IAsyncLifetime
{
    private const string Crm = "hetzner-fsn1-crm";
    private const string Outreach = "hetzner-hel1-outreach";
    private const string Analytics = "aws-euc1-analytics";

    // The subject's rows per table, written independently of the registry: (store, table, SQL of their ids).
    private static readonly (string Store, string Table, string SubjectIds)[] Tables =
    [
        (Crm, "companies", "SELECT NULL::bigint WHERE false"),
        (Crm, "people", "SELECT id FROM people WHERE email ILIKE 'jane.doe@example.com'"),
        (Crm, "shared_data", "SELECT id FROM shared_data WHERE email ILIKE 'jane.doe@example.com' OR linkedin_url ILIKE '%linkedin.com/in/jane-doe-demo%' OR person_id IN (SELECT id FROM people WHERE email ILIKE 'jane.doe@example.com')"),
        (Outreach, "campaigns", "SELECT NULL::bigint WHERE false"),
        (Outreach, "contacts", "SELECT id FROM contacts WHERE email ILIKE 'jane.doe@example.com'"),
        (Outreach, "messages", "SELECT id FROM messages WHERE contact_id IN (SELECT id FROM contacts WHERE email ILIKE 'jane.doe@example.com')"),
        (Analytics, "profiles", "SELECT id FROM profiles WHERE btrim(email) ILIKE 'jane.doe@example.com'"),
        (Analytics, "activity_events", "SELECT id FROM activity_events WHERE profile_id IN (SELECT id FROM profiles WHERE btrim(email) ILIKE 'jane.doe@example.com')"),
    ];

    private TestStores _stores = null!;

    public async Task InitializeAsync() => _stores = await TestStores.CreateAsync(servers);

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string?, string?, string> Subjects => new()
    {
        // email, LinkedIn URL, expected "store/entity=rows" (every store, every entity). The email alone
        // also finds the record that holds only her LinkedIn URL: the person row the email matches
        // carries that URL.
        { "  JANE.DOE@Example.com ", null, "hetzner-fsn1-crm/people=1 hetzner-fsn1-crm/shared_data=2 hetzner-fsn1-crm/invoices=1 hetzner-hel1-outreach/contacts=1 hetzner-hel1-outreach/messages=3 aws-euc1-analytics/profiles=1 aws-euc1-analytics/activity_events=5" },
        { null, "HTTP://LinkedIn.com/in/Jane-Doe-Demo/", "hetzner-fsn1-crm/people=1 hetzner-fsn1-crm/shared_data=2 hetzner-fsn1-crm/invoices=1 hetzner-hel1-outreach/contacts=1 hetzner-hel1-outreach/messages=3 aws-euc1-analytics/profiles=1 aws-euc1-analytics/activity_events=5" },
        { "jane.doe@example.com", "https://www.linkedin.com/in/jane-doe-demo", "hetzner-fsn1-crm/people=1 hetzner-fsn1-crm/shared_data=2 hetzner-fsn1-crm/invoices=1 hetzner-hel1-outreach/contacts=1 hetzner-hel1-outreach/messages=3 aws-euc1-analytics/profiles=1 aws-euc1-analytics/activity_events=5" },
        { "nobody@example.com", null, "hetzner-fsn1-crm/people=0 hetzner-fsn1-crm/shared_data=0 hetzner-fsn1-crm/invoices=0 hetzner-hel1-outreach/contacts=0 hetzner-hel1-outreach/messages=0 aws-euc1-analytics/profiles=0 aws-euc1-analytics/activity_events=0" },
    };

    [Theory]
    [MemberData(nameof(Subjects))]
    public async Task Locate_finds_the_demo_subject_in_every_store_by_email_or_LinkedIn_URL_in_any_format(string? email, string? linkedIn, string expected)
    {
        var subject = new SubjectIdentifiers(email, linkedIn);
        var found = new List<string>();
        foreach (var store in _stores.Registry.Stores)
        {
            var match = await _stores.Operations.LocateAsync(store, subject, CancellationToken.None);
            found.AddRange(store.Entities.Select(e => $"{store.Id}/{e.Name}={match.RowsPerEntity[e.Name]}"));
            Assert.Empty(match.Ambiguous);
        }

        Assert.Equal(expected, string.Join(' ', found));
    }

    [Fact]
    public async Task Erase_removes_the_subject_from_every_store_leaves_other_rows_untouched_and_finds_nothing_for_another_case()
    {
        var subject = new SubjectIdentifiers(SampleEmail, SampleLinkedIn);
        var request = new StoreActionRequest(Guid.NewGuid(), subject);
        var before = await SnapshotAsync();
        Assert.All(Tables.Where(t => t.Table is not ("companies" or "campaigns")), t => Assert.NotEqual("", before[(t.Store, t.Table)].SubjectIds));

        var erased = new Dictionary<string, int>();
        foreach (var store in _stores.Registry.Stores)
        {
            erased[store.Id] = (await _stores.Operations.EraseAsync(store, request, CancellationToken.None)).RowsAffected;
        }

        Assert.Equal(3, erased[Crm]);
        Assert.Equal(4, erased[Outreach]);
        Assert.Equal(6, erased[Analytics]);
        foreach (var (store, table, _) in Tables)
        {
            var was = before[(store, table)];
            var now = await OtherRowsAsync(store, table, was.SubjectIds);
            Assert.Equal(was.OtherCount, now.Count);
            Assert.Equal(was.OtherChecksum, now.Checksum);
            var left = await _stores.ScalarAsync<long>(store, $"SELECT count(*) FROM {table} WHERE id = ANY('{{{was.SubjectIds}}}'::bigint[])");
            // Analytics keeps the profile for its aggregates, with what identifies the subject removed.
            Assert.Equal(table == "profiles" ? 1 : 0, left);
            Assert.Equal(0, await _stores.ScalarAsync<long>(store, $"SELECT count(*) FROM {table} t WHERE t::text ILIKE '%jane.doe@example.com%' OR t::text ILIKE '%jane-doe-demo%'"));
        }

        Assert.Equal(0, await _stores.ScalarAsync<long>(Analytics, "SELECT count(*) FROM profiles WHERE full_name = 'Jane Doe' OR (seniority = 'Director' AND state = 'BE' AND email IS NOT NULL)"));
        foreach (var store in _stores.Registry.Stores)
        {
            var again = await _stores.Operations.EraseAsync(store, request with { CaseId = Guid.NewGuid() }, CancellationToken.None);
            Assert.Equal((0, false), (again.RowsAffected, again.Repeated));
        }
    }

    private const string SampleEmail = "Jane.Doe@example.com";
    private const string SampleLinkedIn = "linkedin.com/in/JANE-DOE-DEMO";

    private async Task<Dictionary<(string, string), (string SubjectIds, long OtherCount, string OtherChecksum)>> SnapshotAsync()
    {
        var snapshot = new Dictionary<(string, string), (string, long, string)>();
        foreach (var (store, table, subjectSql) in Tables)
        {
            var ids = await _stores.ScalarAsync<string>(store, $"SELECT coalesce(string_agg(id::text, ','), '') FROM ({subjectSql}) s(id)");
            var others = await OtherRowsAsync(store, table, ids);
            snapshot[(store, table)] = (ids, others.Count, others.Checksum);
        }

        return snapshot;
    }

    private async Task<(long Count, string Checksum)> OtherRowsAsync(string store, string table, string subjectIds)
    {
        var where = $"NOT (id = ANY('{{{subjectIds}}}'::bigint[]))";
        var count = await _stores.ScalarAsync<long>(store, $"SELECT count(*) FROM {table} WHERE {where}");
        var checksum = await _stores.ScalarAsync<string>(store, $"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY id), '')) FROM {table} t WHERE {where}");
        return (count, checksum);
    }
}
