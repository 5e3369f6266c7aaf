using Closely.Stores.Operations;
using Closely.Stores.Registry;

namespace Closely.IntegrationTests.Stores;

/// <summary>The registry file is validated at start-up; each error names the bad store and entity.</summary>
public sealed class StoreRegistryTests
{
    private const string Valid = """
        stores:
          - id: hetzner-fsn1-crm
            provider: hetzner
            region: fsn1-de
            kind: postgres
            connection: store_hetzner_fsn1_crm
            information:
              purposes: { en: "Selling contact data.", de: "Verkauf von Kontaktdaten." }
              legal_basis: { en: "Art 6(1)(f) GDPR.", de: "Art. 6 Abs. 1 lit. f DSGVO." }
              recipients: { en: "Clients.", de: "Kunden." }
              retention: { en: "24 months.", de: "24 Monate." }
              source: { en: "Public sources.", de: "Öffentliche Quellen." }
            entities:
              - name: people
                table: people
                key: id
                identity:
                  - { column: email, kind: email }
                erasure: delete
                categories: { en: "Name, email", de: "Name, E-Mail" }
          - id: hetzner-hel1-outreach
            provider: hetzner
            region: hel1-fi
            kind: postgres
            connection: store_hetzner_hel1_outreach
            information:
              purposes: { en: "Selling contact data.", de: "Verkauf von Kontaktdaten." }
              legal_basis: { en: "Art 6(1)(f) GDPR.", de: "Art. 6 Abs. 1 lit. f DSGVO." }
              recipients: { en: "Clients.", de: "Kunden." }
              retention: { en: "24 months.", de: "24 Monate." }
              source: { en: "Public sources.", de: "Öffentliche Quellen." }
            entities:
              - name: messages
                table: messages
                key: id
                relation: { parent: contacts, column: contact_id }
                erasure: delete
                categories: { en: "Messages", de: "Nachrichten" }
                provided: true
              - name: contacts
                table: contacts
                key: id
                identity:
                  - { column: email, kind: email }
                  - { column: linkedin_url, kind: linkedin }
                erasure:
                  anonymise: [email, linkedin_url]
                categories: { en: "Name, email, LinkedIn profile", de: "Name, E-Mail, LinkedIn-Profil" }
        """;

    [Fact]
    public void The_shipped_registry_is_valid_and_lists_the_three_stores()
    {
        var registry = StoreRegistryLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "stores.yaml"));

        Assert.Equal(["hetzner-fsn1-crm", "hetzner-hel1-outreach", "aws-euc1-analytics"], registry.Stores.Select(s => s.Id));
        Assert.Equal(ErasureMode.Anonymise, registry.Find("aws-euc1-analytics")!.Entities.Single(e => e.Name == "profiles").Erasure.Mode);
        var hold = registry.Find("hetzner-fsn1-crm")!.Entities.Single(e => e.Name == "invoices").Hold!;
        Assert.Equal((10, "issued_on"), (hold.RetentionYears, hold.From));
        Assert.Contains("§ 257 HGB", hold.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_registry_says_what_a_person_is_told_and_which_entities_they_provided()
    {
        var registry = StoreRegistryLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "stores.yaml"));

        Assert.All(registry.Stores, s => Assert.Contains("Art", s.Information.LegalBasis.In("de"), StringComparison.Ordinal));
        Assert.All(registry.Stores.SelectMany(s => s.Entities), e => Assert.NotEqual(e.Categories.In("en"), e.Categories.In("de")));
        Assert.Equal(["contacts", "activity_events"], registry.Stores.SelectMany(s => s.Entities).Where(e => e.Provided).Select(e => e.Name));
    }

    [Fact]
    public void The_shipped_registry_maps_the_fields_a_rectification_corrects_but_none_of_a_held_entity()
    {
        var registry = StoreRegistryLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "stores.yaml"));
        var entities = registry.Stores.SelectMany(s => s.Entities.Select(e => (Store: s.Id, Entity: e))).ToList();

        Assert.Equal([("hetzner-fsn1-crm", "people", "job_title"), ("hetzner-hel1-outreach", "contacts", "job_title")],
            entities.Where(e => e.Entity.Fields.ContainsKey("jobTitle")).Select(e => (e.Store, e.Entity.Name, e.Entity.Fields["jobTitle"])));
        Assert.Equal("company_name", entities.Single(e => e.Entity.Name == "contacts").Entity.Fields["company"]);
        Assert.Empty(entities.Single(e => e.Entity.Name == "invoices").Entity.Fields);
    }

    [Fact]
    public void A_store_without_its_art_15_information_is_rejected()
    {
        var yaml = Valid.Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = yaml.IndexOf("    information:", StringComparison.Ordinal);
        var end = yaml.IndexOf("    entities:", start, StringComparison.Ordinal);

        var error = Assert.Throws<StoreRegistryException>(() => StoreRegistryLoader.Load(yaml[..start] + yaml[end..]));

        Assert.Contains("stores[0] (hetzner-fsn1-crm): information (purposes, legal_basis, recipients, retention, source) is missing", error.Errors);
    }

    [Fact]
    public void A_valid_registry_orders_parents_before_children()
    {
        var outreach = StoreRegistryLoader.Load(Valid).Find("hetzner-hel1-outreach")!;

        Assert.Equal(["contacts", "messages"], outreach.Entities.Select(e => e.Name));
    }

    [Theory]
    [InlineData("parent: contacts", "parent: persons", "stores[1] (hetzner-hel1-outreach): entity 'messages' relation points at unknown entity 'persons'")]
    [InlineData("provider: hetzner\n    region: fsn1-de", "provider: ovh\n    region: fsn1-de", "stores[0] (hetzner-fsn1-crm): provider 'ovh' is not one of hetzner, aws")]
    [InlineData("region: hel1-fi", "region: eu-central-1", "stores[1] (hetzner-hel1-outreach): region 'eu-central-1' is not a hetzner region")]
    [InlineData("kind: linkedin }", "kind: fax }", "stores[1] (hetzner-hel1-outreach): entity 'contacts': identity column 'linkedin_url' has unknown kind 'fax'")]
    [InlineData("anonymise: [email, linkedin_url]", "anonymise: [email]", "stores[1] (hetzner-hel1-outreach): entity 'contacts': erasure 'anonymise' keeps identity column 'linkedin_url'")]
    [InlineData("        erasure: delete\n        categories: { en: \"Name, email\"", "        erasure: shred\n        categories: { en: \"Name, email\"", "stores[0] (hetzner-fsn1-crm): entity 'people': erasure must be 'delete' or 'anonymise: [columns]'")]
    [InlineData("table: people", "table: \"people; DROP TABLE x\"", "stores[0] (hetzner-fsn1-crm): entity 'people': table 'people; DROP TABLE x' must be a lower-case SQL name")]
    [InlineData("        erasure: delete\n        categories: { en: \"Name, email\"", "        erasure: delete\n        hold: { basis: '', retention_years: 0, from: issued_on }\n        categories: { en: \"Name, email\"", "stores[0] (hetzner-fsn1-crm): entity 'people': hold names no legal basis")]
    [InlineData("        erasure: delete\n        categories: { en: \"Name, email\"", "        erasure: delete\n        hold: { basis: tax law, retention_years: 0, from: issued_on }\n        categories: { en: \"Name, email\"", "stores[0] (hetzner-fsn1-crm): entity 'people': hold retention_years must be 1 to 100")]
    [InlineData("        erasure: delete\n        categories: { en: \"Name, email\"", "        erasure: delete\n        fields: { salary: salary }\n        categories: { en: \"Name, email\"", "stores[0] (hetzner-fsn1-crm): entity 'people': field 'salary' is not one of fullName, jobTitle, company, phone, email, linkedinUrl, country")]
    [InlineData("        erasure: delete\n        categories: { en: \"Name, email\"", "        erasure: delete\n        fields: { jobTitle: \"job title\" }\n        categories: { en: \"Name, email\"", "stores[0] (hetzner-fsn1-crm): entity 'people': field 'jobTitle' column 'job title' must be a lower-case SQL name")]
    [InlineData("        erasure: delete\n        categories: { en: \"Name, email\"", "        erasure: delete\n        fields: { jobTitle: title, fullName: title }\n        categories: { en: \"Name, email\"", "stores[0] (hetzner-fsn1-crm): entity 'people': column 'title' is mapped to more than one field")]
    [InlineData("        erasure: delete\n        categories: { en: \"Name, email\"", "        erasure: delete\n        hold: { basis: tax law, retention_years: 10, from: issued_on }\n        fields: { email: email }\n        categories: { en: \"Name, email\"", "stores[0] (hetzner-fsn1-crm): entity 'people': fields are mapped, but the entity is under a legal hold")]
    [InlineData("id: hetzner-hel1-outreach", "id: hetzner-fsn1-crm", "stores[1] (hetzner-fsn1-crm): id is used by another store")]
    [InlineData("connection: store_hetzner_fsn1_crm", "connection: ''", "stores[0] (hetzner-fsn1-crm): connection (the name of a connection string) is missing")]
    [InlineData("retention: { en: \"24 months.\", de: \"24 Monate.\" }", "retention: { en: \"24 months.\" }", "stores[0] (hetzner-fsn1-crm): information retention has no text in de")]
    [InlineData("categories: { en: \"Messages\", de: \"Nachrichten\" }", "", "stores[1] (hetzner-hel1-outreach): entity 'messages': categories has no text in en, de")]
    public void A_malformed_registry_is_rejected_with_an_error_naming_the_bad_entry(string replace, string with, string expected)
    {
        var yaml = Valid.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains(replace, yaml, StringComparison.Ordinal);

        var error = Assert.Throws<StoreRegistryException>(() => StoreRegistryLoader.Load(yaml.Replace(replace, with, StringComparison.Ordinal)));

        Assert.Contains(error.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Relations_that_form_a_cycle_are_rejected()
    {
        var yaml = Valid.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace("- name: contacts\n", "- name: contacts\n        relation: { parent: messages, column: message_id }\n", StringComparison.Ordinal);

        var error = Assert.Throws<StoreRegistryException>(() => StoreRegistryLoader.Load(yaml));

        Assert.Contains("stores[1] (hetzner-hel1-outreach): relations form a cycle among entities 'messages', 'contacts'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_registry_is_rejected()
    {
        var error = Assert.Throws<StoreRegistryException>(() => StoreRegistryLoader.Load("stores: []"));

        Assert.Contains("the registry lists no store", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IdentityKind.Email, "  Jane.Doe@Example.COM ", "jane.doe@example.com")]
    [InlineData(IdentityKind.LinkedIn, "HTTPS://WWW.LinkedIn.com/in/Jane-Doe-Demo/", "linkedin.com/in/jane-doe-demo")]
    [InlineData(IdentityKind.LinkedIn, "linkedin.com/in/jane-doe-demo", "linkedin.com/in/jane-doe-demo")]
    [InlineData(IdentityKind.Phone, "+49 (151) 555-0100", "491515550100")]
    public void Identifiers_are_normalised(IdentityKind kind, string value, string expected) =>
        Assert.Equal(expected, IdentityNormaliser.Normalise(kind, value));
}
