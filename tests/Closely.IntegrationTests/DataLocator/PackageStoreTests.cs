using System.Security.Cryptography;
using System.Text;
using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.DataLocator.Packages;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace Closely.IntegrationTests.DataLocator;

/// <summary>The package store keeps packages encrypted in chunks: what is read back is what was written, and a changed or cut file does not decrypt.</summary>
public sealed class PackageStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(TestSettings.TemporaryRoot, "package-store-" + Guid.NewGuid().ToString("N"));
    private readonly PackageStore _store;

    public PackageStoreTests()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var protector = new PersonalDataProtector(Options.Create(new PrivacyOptions { EncryptionKey = key, BlindIndexKey = key }));
        _store = new PackageStore(protector, Options.Create(new PackageOptions { Directory = _directory }), new HostingEnvironment { ContentRootPath = _directory });
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_package_of_several_chunks_reads_back_as_written_and_is_not_readable_on_disk()
    {
        var caseId = Guid.NewGuid();
        var content = Content();

        var record = await SaveAsync(caseId, content);

        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(content)), content.LongLength), (record.Sha256, record.Bytes));
        Assert.Equal(content, await ReadAsync(caseId));
        var onDisk = await File.ReadAllBytesAsync(PackagePath(caseId));
        Assert.DoesNotContain("jane.doe@example.com", Encoding.UTF8.GetString(onDisk), StringComparison.Ordinal);
        var stored = await _store.ReadRecordAsync(caseId, CancellationToken.None);
        Assert.Equal((record.PackageId, record.Sha256, record.ExpiresAt), (stored!.PackageId, stored.Sha256, stored.ExpiresAt));
    }

    [Fact]
    public async Task A_changed_byte_or_a_missing_last_chunk_does_not_decrypt()
    {
        var changed = Guid.NewGuid();
        await SaveAsync(changed, Content());
        var bytes = await File.ReadAllBytesAsync(PackagePath(changed));
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(PackagePath(changed), bytes);
        await Assert.ThrowsAnyAsync<CryptographicException>(() => ReadAsync(changed));

        var cut = Guid.NewGuid();
        await SaveAsync(cut, Content());
        var whole = await File.ReadAllBytesAsync(PackagePath(cut));
        await File.WriteAllBytesAsync(PackagePath(cut), whole[..(5 + BitConverter.ToInt32(whole, 1))]);
        await Assert.ThrowsAnyAsync<CryptographicException>(() => ReadAsync(cut));
    }

    private static byte[] Content() =>
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 20_000).Select(i => $"row {i}: jane.doe@example.com\n")));

    private Task<PackageRecord> SaveAsync(Guid caseId, byte[] content) =>
        _store.SavePackageAsync(caseId, (stream, ct) => stream.WriteAsync(content, ct).AsTask(), (sha256, bytes) => new PackageRecord
        {
            CaseId = caseId,
            PackageId = Guid.NewGuid(),
            Reference = "DSR-2026-TEST01",
            Kind = DataPackageKind.Access,
            Language = "en",
            Contents = [],
            Sha256 = sha256,
            Bytes = bytes,
            CreatedAt = DateTimeOffset.UnixEpoch,
            ExpiresAt = DateTimeOffset.UnixEpoch.AddDays(7),
        }, CancellationToken.None);

    private async Task<byte[]> ReadAsync(Guid caseId)
    {
        await using var stream = _store.OpenPackage(caseId)!;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private string PackagePath(Guid caseId) => Path.Combine(_directory, caseId.ToString("N"), "package.zip");
}
