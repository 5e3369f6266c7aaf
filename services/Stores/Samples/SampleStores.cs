using Closely.Stores.Operations;
using Closely.Stores.Registry;

namespace Closely.Stores.Samples;

/// <summary>
/// The three local sample stores. Data is synthetic and deterministic: every value is picked by
/// <c>hashint8extended(row, @seed + n)</c>, so the same seed and size give the same rows. The same
/// people appear in every store (same seed, same names), as they would in the real stores. Applications read
/// each entity table through its <c>&lt;table&gt;_available</c> view, which leaves restricted rows out (ADR 27).
/// </summary>
public static class SampleStores
{
    public const string DemoEmail = "jane.doe@example.com";
    public const string DemoLinkedInUrl = "https://www.linkedin.com/in/jane-doe-demo";

    // Picks element n (seed offset) of an array for row g.
    private const string FirstNames = "ARRAY['Anna','Ben','Clara','David','Eva','Felix','Greta','Hugo','Ida','Jonas','Klara','Lukas','Mia','Noah','Olivia','Paul']";
    private const string LastNames = "ARRAY['Schmidt','Virtanen','Meyer','Korhonen','Weber','Nieminen','Wagner','Becker','Laine','Hoffmann','Koch','Mäkinen','Richter','Klein','Wolf','Heikkinen']";
    private const string Titles = "ARRAY['Head of Sales','Data Engineer','CTO','Marketing Manager','Procurement Lead','Software Developer','CFO','Account Executive']";
    private const string Seniorities = "ARRAY['Junior','Mid','Senior','Lead','Director','C-Level']";
    private const string Roles = "ARRAY['Decision maker','Influencer','User','Gatekeeper']";
    private const string Countries = "ARRAY['DE','FI','AT','NL','FR','SE']";

    public static SampleStore Crm { get; } = new(
        "store_hetzner_fsn1_crm",
        "hetzner-fsn1-crm",
        ["people", "shared_data", "invoices"],
        [
            "CREATE TABLE companies (id bigint PRIMARY KEY, name text NOT NULL, website text, country text NOT NULL, state text)",
            "CREATE TABLE people (id bigserial PRIMARY KEY, company_id bigint NOT NULL REFERENCES companies (id), full_name text, email text, phone text, website text, linkedin_url text, job_title text, seniority text, role text)",
            "CREATE TABLE shared_data (id bigserial PRIMARY KEY, person_id bigint REFERENCES people (id), contributed_by_client text NOT NULL, email text, linkedin_url text, notes text, contributed_at timestamptz NOT NULL)",
            Index("people", "email", IdentityKind.Email),
            Index("people", "linkedin_url", IdentityKind.LinkedIn),
            Index("people", "phone", IdentityKind.Phone),
            Index("shared_data", "email", IdentityKind.Email),
            Index("shared_data", "linkedin_url", IdentityKind.LinkedIn),
            "CREATE INDEX ON shared_data (person_id)",
            // Invoices to client contacts: kept 10 years under German commercial and tax law, so restricted, not erased.
            "CREATE TABLE invoices (id bigserial PRIMARY KEY, person_id bigint REFERENCES people (id) ON DELETE SET NULL, number text NOT NULL, billing_name text, billing_email text, amount_eur numeric(12,2) NOT NULL, issued_on date NOT NULL)",
            "CREATE INDEX ON invoices (person_id)",
            // Invoices are matched by their billing address too: without this index every locate and erase read them all.
            Index("invoices", "billing_email", IdentityKind.Email),
        ],
        [
            $"INSERT INTO companies (id, name, website, country, state) SELECT c, 'Company ' || c, 'https://company-' || c || '.example', ({Countries})[1 + {Pick("c", 0, 6)}], NULL FROM generate_series(1, greatest(@people / 10, 1)) c",
            $"""
            INSERT INTO people (company_id, full_name, email, phone, website, linkedin_url, job_title, seniority, role)
            SELECT c, f || ' ' || l, lower(f || '.' || l) || '.' || g || '@company-' || c || '.example',
                   '+49 30 ' || lpad({Pick("g", 3, 10000000)}::text, 7, '0'), 'https://company-' || c || '.example',
                   'https://www.linkedin.com/in/' || lower(f || '-' || l) || '-' || g,
                   ({Titles})[1 + {Pick("g", 4, 8)}], ({Seniorities})[1 + {Pick("g", 5, 6)}], ({Roles})[1 + {Pick("g", 6, 4)}]
            FROM (SELECT g, 1 + {Pick("g", 0, "greatest(@people / 10, 1)")} AS c,
                         ({FirstNames})[1 + {Pick("g", 1, 16)}] AS f, ({LastNames})[1 + {Pick("g", 2, 16)}] AS l
                  FROM generate_series(1, @people) g) s
            ORDER BY g
            """,
            $"""
            INSERT INTO shared_data (person_id, contributed_by_client, email, linkedin_url, notes, contributed_at)
            SELECT id, 'client-' || (1 + {Pick("id", 7, 40)}), email, linkedin_url, 'contributed contact record',
                   timestamptz '2025-01-01' + {Pick("id", 8, 365)} * interval '1 day'
            FROM people WHERE id % 5 = 0 ORDER BY id
            """,
            $"""
            INSERT INTO invoices (person_id, number, billing_name, billing_email, amount_eur, issued_on)
            SELECT id, 'INV-' || id, full_name, email, 100 + {Pick("id", 14, 5000)}, date '2020-01-01' + {Pick("id", 15, 2000)}::int
            FROM people WHERE id % 7 = 0 ORDER BY id
            """,
        ],
        [
            """
            WITH jane AS (
                INSERT INTO people (company_id, full_name, email, phone, website, linkedin_url, job_title, seniority, role)
                VALUES (1, 'Jane Doe', 'Jane.Doe@Example.com', '+49 151 5550100', 'https://example.com',
                        'https://www.linkedin.com/in/jane-doe-demo/', 'Head of Data', 'Director', 'Decision maker')
                RETURNING id)
            INSERT INTO shared_data (person_id, contributed_by_client, email, linkedin_url, notes, contributed_at)
            SELECT id, 'client-7', 'jane.doe@example.com', NULL, 'met at a trade fair', timestamptz '2026-03-01' FROM jane
            """,
            """
            INSERT INTO invoices (person_id, number, billing_name, billing_email, amount_eur, issued_on)
            SELECT id, 'INV-2024-0042', 'Jane Doe', 'jane.doe@example.com', 1190.00, date '2024-03-15' FROM people WHERE email = 'Jane.Doe@Example.com'
            """,
            "INSERT INTO shared_data (person_id, contributed_by_client, email, linkedin_url, notes, contributed_at) VALUES (NULL, 'client-12', NULL, 'http://linkedin.com/in/Jane-Doe-Demo', 'imported from a list', timestamptz '2026-04-01')",
        ]);

    public static SampleStore Outreach { get; } = new(
        "store_hetzner_hel1_outreach",
        "hetzner-hel1-outreach",
        ["contacts", "messages"],
        [
            "CREATE TABLE campaigns (id bigint PRIMARY KEY, name text NOT NULL, client text NOT NULL)",
            "CREATE TABLE contacts (id bigserial PRIMARY KEY, full_name text, email text, linkedin_url text, job_title text, company_name text, country text)",
            "CREATE TABLE messages (id bigserial PRIMARY KEY, contact_id bigint NOT NULL REFERENCES contacts (id), campaign_id bigint NOT NULL REFERENCES campaigns (id), subject text NOT NULL, body text NOT NULL, sent_at timestamptz NOT NULL)",
            Index("contacts", "email", IdentityKind.Email),
            Index("contacts", "linkedin_url", IdentityKind.LinkedIn),
            "CREATE INDEX ON messages (contact_id)",
        ],
        [
            "INSERT INTO campaigns (id, name, client) SELECT k, 'Campaign ' || k, 'client-' || k FROM generate_series(1, 20) k",
            $"""
            INSERT INTO contacts (full_name, email, linkedin_url, job_title, company_name, country)
            SELECT f || ' ' || l, lower(f || '.' || l) || '.' || g || '@company-' || c || '.example',
                   'https://www.linkedin.com/in/' || lower(f || '-' || l) || '-' || g,
                   ({Titles})[1 + {Pick("g", 4, 8)}], 'Company ' || c, ({Countries})[1 + {Pick("c", 0, 6)}]
            FROM (SELECT g, 1 + {Pick("g", 0, "greatest(@people / 10, 1)")} AS c,
                         ({FirstNames})[1 + {Pick("g", 1, 16)}] AS f, ({LastNames})[1 + {Pick("g", 2, 16)}] AS l
                  FROM generate_series(1, @people) g) s
            ORDER BY g
            """,
            $"""
            INSERT INTO messages (contact_id, campaign_id, subject, body, sent_at)
            SELECT c.id, 1 + {Pick("c.id * 2 + k", 9, 20)}, 'Hello ' || c.full_name, 'Dear ' || c.full_name || ', a word about our data services.',
                   timestamptz '2025-06-01' + {Pick("c.id * 2 + k", 10, 300)} * interval '1 day'
            FROM contacts c CROSS JOIN generate_series(1, 2) k ORDER BY c.id, k
            """,
        ],
        [
            """
            WITH jane AS (
                INSERT INTO contacts (full_name, email, linkedin_url, job_title, company_name, country)
                VALUES ('Jane Doe', 'jane.doe@example.com', 'https://linkedin.com/in/jane-doe-demo', 'Head of Data', 'Example GmbH', 'DE')
                RETURNING id)
            INSERT INTO messages (contact_id, campaign_id, subject, body, sent_at)
            SELECT id, k, 'Hello Jane Doe', 'Dear Jane Doe, a word about our data services.', timestamptz '2026-02-01' + k * interval '1 day'
            FROM jane CROSS JOIN generate_series(1, 3) k
            """,
        ]);

    public static SampleStore Analytics { get; } = new(
        "store_aws_euc1_analytics",
        "aws-euc1-analytics",
        ["profiles", "activity_events"],
        [
            "CREATE TABLE profiles (id bigserial PRIMARY KEY, full_name text, email text, linkedin_url text, seniority text, role text, country text, state text, company_domain text)",
            "CREATE TABLE activity_events (id bigserial PRIMARY KEY, profile_id bigint NOT NULL REFERENCES profiles (id), event_type text NOT NULL, page_url text, occurred_at timestamptz NOT NULL)",
            Index("profiles", "email", IdentityKind.Email),
            Index("profiles", "linkedin_url", IdentityKind.LinkedIn),
            "CREATE INDEX ON activity_events (profile_id)",
        ],
        [
            $"""
            INSERT INTO profiles (full_name, email, linkedin_url, seniority, role, country, state, company_domain)
            SELECT f || ' ' || l, lower(f || '.' || l) || '.' || g || '@company-' || c || '.example',
                   'https://www.linkedin.com/in/' || lower(f || '-' || l) || '-' || g,
                   ({Seniorities})[1 + {Pick("g", 5, 6)}], ({Roles})[1 + {Pick("g", 6, 4)}],
                   ({Countries})[1 + {Pick("c", 0, 6)}], NULL, 'company-' || c || '.example'
            FROM (SELECT g, 1 + {Pick("g", 0, "greatest(@people / 10, 1)")} AS c,
                         ({FirstNames})[1 + {Pick("g", 1, 16)}] AS f, ({LastNames})[1 + {Pick("g", 2, 16)}] AS l
                  FROM generate_series(1, @people) g) s
            ORDER BY g
            """,
            $"""
            INSERT INTO activity_events (profile_id, event_type, page_url, occurred_at)
            SELECT p.id, (ARRAY['page_view','email_open','link_click','download'])[1 + {Pick("p.id * 3 + k", 11, 4)}],
                   'https://closely.example/p/' || {Pick("p.id * 3 + k", 12, 50)},
                   timestamptz '2025-06-01' + {Pick("p.id * 3 + k", 13, 500000)} * interval '1 minute'
            FROM profiles p CROSS JOIN generate_series(1, 3) k ORDER BY p.id, k
            """,
        ],
        [
            """
            WITH jane AS (
                INSERT INTO profiles (full_name, email, linkedin_url, seniority, role, country, state, company_domain)
                VALUES ('Jane Doe', ' JANE.DOE@example.com', 'www.linkedin.com/in/jane-doe-demo', 'Director', 'Decision maker', 'DE', 'BE', 'example.com')
                RETURNING id)
            INSERT INTO activity_events (profile_id, event_type, page_url, occurred_at)
            SELECT id, 'page_view', 'https://closely.example/p/' || k, timestamptz '2026-05-01' + k * interval '1 hour'
            FROM jane CROSS JOIN generate_series(1, 5) k
            """,
        ]);

    public static IReadOnlyList<SampleStore> All { get; } = [Crm, Outreach, Analytics];

    private static string Index(string table, string column, IdentityKind kind) =>
        $"CREATE INDEX ON {table} (({IdentityNormaliser.SqlExpression(kind, column)}))";

    // A deterministic pseudo-random number in [0, modulus) for row expression `row`.
    private static string Pick(string row, int offset, object modulus) =>
        $"((hashint8extended(({row})::bigint, @seed + {offset}) & 2147483647) % ({modulus}))";
}
