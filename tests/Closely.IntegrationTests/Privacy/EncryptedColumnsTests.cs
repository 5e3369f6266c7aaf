using System.Security.Cryptography;
using System.Text;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Persistence;
using Closely.Cases.Saga;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Closely.Intake.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Closely.IntegrationTests.Privacy;

/// <summary>
/// Encrypted columns on the real schema: bound to their row and column, readable after a key rotation, and rewritten
/// under the active key by the re-encryption command.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class EncryptedColumnsTests(PlatformServers servers) : IAsyncLifetime
{
    private static readonly string NewKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private string _database = "";

    public async Task InitializeAsync() => _database = await PlatformDatabase.CreateAsync(servers, "encrypted");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_stored_value_names_its_key_holds_no_plain_text_and_reads_back()
    {
        var protector = servers.Protector();
        var document = await AddDocumentAsync(protector, "authority-jane-doe.pdf");

        var stored = await ColumnAsync("cases.authority_documents", "file_name_encrypted", "case_id", document);
        Assert.Equal(protector.ActiveKeyPrefix(), stored[..protector.ActiveKeyPrefix().Length]);
        Assert.DoesNotContain("jane", Encoding.UTF8.GetString(stored), StringComparison.OrdinalIgnoreCase);
        await using var db = PlatformDatabase.Cases(_database, protector);
        var read = await db.AuthorityDocuments.AsNoTracking().SingleAsync(d => d.CaseId == document);
        Assert.Equal(("authority-jane-doe.pdf", "%PDF-1.7 jane"), (read.FileName, Encoding.UTF8.GetString(read.Content)));
    }

    [Fact]
    public async Task A_value_moved_to_another_row_or_column_does_not_decrypt()
    {
        var protector = servers.Protector();
        var first = await AddDocumentAsync(protector, "first.pdf");
        var second = await AddDocumentAsync(protector, "second.pdf");
        var third = await AddDocumentAsync(protector, "third.pdf");

        // What someone with write access to the table, but not the key, could try: another row's value, another column's.
        await ExecuteAsync($"""
            UPDATE cases.authority_documents SET file_name_encrypted = (SELECT file_name_encrypted FROM cases.authority_documents WHERE case_id = '{first}') WHERE case_id = '{second}';
            UPDATE cases.authority_documents SET content_encrypted = file_name_encrypted WHERE case_id = '{third}';
            """);

        await using var db = PlatformDatabase.Cases(_database, protector);
        await Assert.ThrowsAnyAsync<CryptographicException>(() => db.AuthorityDocuments.AsNoTracking().SingleAsync(d => d.CaseId == second));
        await Assert.ThrowsAnyAsync<CryptographicException>(() => db.AuthorityDocuments.AsNoTracking().SingleAsync(d => d.CaseId == third));
        Assert.Equal("first.pdf", (await db.AuthorityDocuments.AsNoTracking().SingleAsync(d => d.CaseId == first)).FileName);
    }

    [Fact]
    public async Task After_a_rotation_old_values_read_a_changed_value_takes_the_new_key_and_reencrypt_rewrites_the_rest()
    {
        var before = servers.Protector();
        var untouched = await AddDocumentAsync(before, "untouched.pdf");
        var request = await AddRequestAsync(before);
        var @case = await AddCaseAsync(before);
        var legacy = await AddDocumentAsync(before, "placeholder.pdf");
        await ExecuteAsync($"UPDATE cases.authority_documents SET file_name_encrypted = @legacy WHERE case_id = '{legacy}'",
            ("legacy", FirstFormat("from-the-first-format.pdf", Convert.FromBase64String(servers.PrivacySettings["Privacy:EncryptionKey"]!))));
        var rotated = Protector(withOldKey: true);

        // Old values (format 2 under the old key, and format 1) read; a changed value is written under the new key, the others stay.
        await using (var db = PlatformDatabase.Cases(_database, rotated))
        {
            var saga = await db.Cases.SingleAsync(c => c.CorrelationId == @case);
            Assert.Equal(("jane.doe@example.com", "Please erase me."), (saga.RequesterEmail, saga.Details));
            saga.Details = "Please erase me, and my old address too.";
            await db.SaveChangesAsync();
            Assert.Equal("from-the-first-format.pdf", (await db.AuthorityDocuments.AsNoTracking().SingleAsync(d => d.CaseId == legacy)).FileName);
        }

        Assert.Equal(rotated.ActiveKeyPrefix(), (await ColumnAsync("cases.case_sagas", "details_encrypted", "correlation_id", @case))[..6]);
        Assert.Equal(before.ActiveKeyPrefix(), (await ColumnAsync("cases.case_sagas", "requester_email_encrypted", "correlation_id", @case))[..9]);

        // The command rewrites every other value of each service's tables under the new key; a second run finds nothing left.
        var cases = await ReencryptAsync(rotated, p => PlatformDatabase.Cases(_database, p));
        var intake = await ReencryptAsync(rotated, p => PlatformDatabase.Intake(_database, p));
        Assert.Equal(5, cases.Sum(c => c.Rewritten)); // the case's email, two documents' names and contents but the changed value
        Assert.Equal(6, intake.Sum(c => c.Rewritten)); // the request's email, name, status token and agent's email; the attachment's name and content
        Assert.All(cases.Concat(intake), c => Assert.Empty(c.Unreadable));
        Assert.Equal(0, (await ReencryptAsync(rotated, p => PlatformDatabase.Cases(_database, p))).Sum(c => c.Rewritten));

        // Without the old key, everything still reads.
        var newOnly = Protector(withOldKey: false);
        await using (var db = PlatformDatabase.Cases(_database, newOnly))
        {
            Assert.Equal("untouched.pdf", (await db.AuthorityDocuments.AsNoTracking().SingleAsync(d => d.CaseId == untouched)).FileName);
            Assert.Equal("from-the-first-format.pdf", (await db.AuthorityDocuments.AsNoTracking().SingleAsync(d => d.CaseId == legacy)).FileName);
            Assert.Equal("jane.doe@example.com", (await db.Cases.AsNoTracking().SingleAsync(c => c.CorrelationId == @case)).RequesterEmail);
        }

        await using (var db = PlatformDatabase.Intake(_database, newOnly))
        {
            var row = await db.Requests.AsNoTracking().Include(r => r.Attachments).SingleAsync(r => r.Id == request);
            Assert.Equal(
                ("jane.doe@example.com", "Jane Doe", "status-token-of-jane", "authority.png"),
                (row.Email, row.FullName, row.StatusToken, row.Attachments.Single().FileName));
        }
    }

    [Fact]
    public async Task Reencrypt_names_a_value_it_cannot_read_and_leaves_it_as_it_is()
    {
        var protector = servers.Protector();
        var first = await AddDocumentAsync(protector, "first.pdf");
        var moved = await AddDocumentAsync(protector, "second.pdf");
        await ExecuteAsync($"UPDATE cases.authority_documents SET file_name_encrypted = (SELECT file_name_encrypted FROM cases.authority_documents WHERE case_id = '{first}') WHERE case_id = '{moved}'");
        var before = await ColumnAsync("cases.authority_documents", "file_name_encrypted", "case_id", moved);

        var result = await ReencryptAsync(Protector(withOldKey: true), db => PlatformDatabase.Cases(_database, db));

        var fileNames = result.Single(c => c.Column == "file_name_encrypted" && c.Table == "cases.authority_documents");
        Assert.Contains(moved.ToString("D"), fileNames.Unreadable);
        Assert.Equal(before, await ColumnAsync("cases.authority_documents", "file_name_encrypted", "case_id", moved));
    }

    private async Task<Guid> AddDocumentAsync(PersonalDataProtector protector, string fileName)
    {
        var id = Guid.NewGuid();
        await using var db = PlatformDatabase.Cases(_database, protector);
        db.AuthorityDocuments.Add(new AuthorityDocument
        {
            CaseId = id,
            FileName = fileName,
            ContentType = "application/pdf",
            Content = Encoding.UTF8.GetBytes("%PDF-1.7 jane"),
            ReceivedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return id;
    }

    private async Task<Guid> AddCaseAsync(PersonalDataProtector protector)
    {
        var id = Guid.NewGuid();
        await using var db = PlatformDatabase.Cases(_database, protector);
        db.Cases.Add(new CaseState
        {
            CorrelationId = id,
            CurrentState = "AwaitingVerification",
            Reference = "DSR-" + id.ToString("N")[..10],
            RequesterEmail = "jane.doe@example.com",
            RequesterEmailIndex = protector.EmailIndex("jane.doe@example.com"),
            Details = "Please erase me.",
        });
        await db.SaveChangesAsync();
        return id;
    }

    private async Task<Guid> AddRequestAsync(PersonalDataProtector protector)
    {
        var id = Guid.NewGuid();
        await using var db = PlatformDatabase.Intake(_database, protector);
        db.Requests.Add(new IntakeRequest
        {
            Id = id,
            Reference = "DSR-" + id.ToString("N")[..10],
            Right = DataSubjectRight.Erasure,
            Channel = IntakeChannel.WebForm,
            ReceivedAt = DateTimeOffset.UtcNow,
            Email = "jane.doe@example.com",
            EmailIndex = protector.EmailIndex("jane.doe@example.com"),
            FullName = "Jane Doe",
            StatusTokenHash = RandomNumberGenerator.GetBytes(32),
            StatusToken = "status-token-of-jane",
            Language = "en",
            AgentEmail = "agent@example.com",
            Attachments =
            [
                new RequestAttachment
                {
                    Id = Guid.NewGuid(), Kind = AttachmentKind.Authority, FileName = "authority.png", ContentType = "image/png", Content = [0x89, 0x50], SizeBytes = 2,
                },
            ],
        });
        await db.SaveChangesAsync();
        return id;
    }

    private static async Task<IReadOnlyList<ReencryptedColumn>> ReencryptAsync<TContext>(PersonalDataProtector protector, Func<PersonalDataProtector, TContext> create)
        where TContext : DbContext
    {
        await using var db = create(protector);
        return await Reencryption.RunAsync(db, protector, NullLogger.Instance, CancellationToken.None);
    }

    /// <summary>The run's keys with a new active key <c>2027</c>, and the old one (<c>default</c>) kept or removed.</summary>
    private PersonalDataProtector Protector(bool withOldKey)
    {
        var options = new PrivacyOptions
        {
            EncryptionKey = withOldKey ? servers.PrivacySettings["Privacy:EncryptionKey"]! : "",
            ActiveKeyId = "2027",
            BlindIndexKey = servers.PrivacySettings["Privacy:BlindIndexKey"]!,
        };
        options.EncryptionKeys["2027"] = NewKey;
        return new PersonalDataProtector(Options.Create(options));
    }

    /// <summary>A value as the platform encrypted it before key ids and associated data: [1][nonce][tag][ciphertext].</summary>
    private static byte[] FirstFormat(string plain, byte[] key)
    {
        var bytes = Encoding.UTF8.GetBytes(plain);
        var output = new byte[1 + 12 + 16 + bytes.Length];
        output[0] = 1;
        RandomNumberGenerator.Fill(output.AsSpan(1, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(output.AsSpan(1, 12), bytes, output.AsSpan(29), output.AsSpan(13, 16));
        return output;
    }

    private async Task<byte[]> ColumnAsync(string table, string column, string key, Guid id)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT {column} FROM {table} WHERE {key} = @id", connection);
        command.Parameters.AddWithValue("id", id);
        return (byte[])(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
