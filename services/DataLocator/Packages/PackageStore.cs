using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.Stores.Operations;
using Closely.Stores.Registry;
using Microsoft.Extensions.Options;

namespace Closely.DataLocator.Packages;

/// <summary>
/// The package store: a folder per case under <see cref="PackageOptions.Directory"/>, holding each store's exported
/// part (<c>parts/&lt;store&gt;/&lt;entity&gt;.rows</c>, encrypted JSON lines: the column names, then one array per
/// row; and <c>manifest.json</c> with the counts), then the case's ZIP (<c>package.zip</c>, encrypted) and its
/// record (<c>package.json</c>). Files are written under a temporary name and moved into place, so a reader sees
/// a whole file or none.
/// </summary>
public sealed class PackageStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly PersonalDataProtector _protector;
    private readonly PackageOptions _options;
    private readonly string _root;

    public PackageStore(PersonalDataProtector protector, IOptions<PackageOptions> options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        _protector = protector;
        _options = options.Value;
        _root = Path.GetFullPath(_options.Directory, environment.ContentRootPath);
    }

    /// <summary>Exports the subject's rows of <paramref name="store"/> into the case's part for it, replacing an earlier one.</summary>
    public async Task<StorePart> ExportAsync(
        Guid caseId, StoreDefinition store, DataPackageKind kind, SubjectIdentifiers subject, StoreOperations stores, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(stores);
        var folder = Path.Combine(CaseFolder(caseId), "parts", store.Id);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var entities = new List<DataPackageEntry>();
        var match = await stores.ExportAsync(store, subject, kind == DataPackageKind.Portability, async (entity, reader, ct) =>
        {
            var rows = await WriteRowsAsync(Path.Combine(folder, entity.Name + ".rows"), PartName(caseId, store.Id, entity.Name), reader, ct);
            entities.Add(new DataPackageEntry { StoreId = store.Id, Entity = entity.Name, Rows = rows });
        }, cancellationToken);

        var part = new StorePart(store.Id, entities, match.Ambiguous);
        await WriteJsonAsync(Path.Combine(folder, "manifest.json"), part, cancellationToken);
        return part;
    }

    /// <summary>The store's exported part, or null when it has none (not exported, or unfinished).</summary>
    public async Task<StorePart?> ReadPartAsync(Guid caseId, string storeId, CancellationToken cancellationToken) =>
        await ReadJsonAsync<StorePart>(Path.Combine(CaseFolder(caseId), "parts", storeId, "manifest.json"), cancellationToken);

    /// <summary>The columns and rows of one entity of a store's part, decrypted as they are read.</summary>
    public async IAsyncEnumerable<JsonElement> ReadRowsAsync(
        Guid caseId, string storeId, string entity, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = EncryptedFile.Open(_protector, Path.Combine(CaseFolder(caseId), "parts", storeId, entity + ".rows"), PartName(caseId, storeId, entity));
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            using var document = JsonDocument.Parse(line);
            yield return document.RootElement.Clone();
        }
    }

    /// <summary>Writes the case's package through <paramref name="write"/>, encrypted, and its record; returns the record.</summary>
    public async Task<PackageRecord> SavePackageAsync(
        Guid caseId, Func<Stream, CancellationToken, Task> write, Func<string, long, PackageRecord> record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(record);
        var folder = CaseFolder(caseId);
        var temporary = Path.Combine(folder, $"package.{Guid.NewGuid():N}.tmp");
        string sha256;
        long bytes;
        await using (var file = EncryptedFile.Create(_protector, temporary, PackageName(caseId)))
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            await using var hashing = new HashingStream(file, hash);
            await write(hashing, cancellationToken);
            bytes = hashing.Written;
            sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        File.Move(temporary, Path.Combine(folder, "package.zip"), overwrite: true);
        var saved = record(sha256, bytes);
        await WriteJsonAsync(Path.Combine(folder, "package.json"), saved, cancellationToken);
        DeleteParts(caseId);
        return saved;
    }

    public Task<PackageRecord?> ReadRecordAsync(Guid caseId, CancellationToken cancellationToken) =>
        ReadJsonAsync<PackageRecord>(Path.Combine(CaseFolder(caseId), "package.json"), cancellationToken);

    /// <summary>The decrypted package, or null when it is gone.</summary>
    public Stream? OpenPackage(Guid caseId)
    {
        var path = Path.Combine(CaseFolder(caseId), "package.zip");
        return File.Exists(path) ? EncryptedFile.Open(_protector, path, PackageName(caseId)) : null;
    }

    /// <summary>The cases with a folder in the store.</summary>
    public IEnumerable<(Guid CaseId, DateTimeOffset LastWrite)> Cases() =>
        Directory.Exists(_root)
            ? Directory.EnumerateDirectories(_root)
                .Select(d => (Ok: Guid.TryParseExact(Path.GetFileName(d), "N", out var id), Id: id, Dir: d))
                .Where(d => d.Ok)
                .Select(d => (d.Id, new DateTimeOffset(Directory.GetLastWriteTimeUtc(d.Dir), TimeSpan.Zero)))
                .ToList()
            : [];

    /// <summary>Deletes the package and any parts, keeping its record with the time of the purge.</summary>
    public async Task<PackageRecord> PurgeAsync(PackageRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var folder = CaseFolder(record.CaseId);
        File.Delete(Path.Combine(folder, "package.zip"));
        DeleteParts(record.CaseId);
        var purged = record with { PurgedAt = now };
        await WriteJsonAsync(Path.Combine(folder, "package.json"), purged, cancellationToken);
        return purged;
    }

    /// <summary>Deletes the parts of a case whose package was never built (e.g. a case closed while exporting).</summary>
    public void DeleteParts(Guid caseId)
    {
        var parts = Path.Combine(CaseFolder(caseId), "parts");
        if (Directory.Exists(parts))
        {
            Directory.Delete(parts, recursive: true);
        }
    }

    private string CaseFolder(Guid caseId)
    {
        var folder = Path.Combine(_root, caseId.ToString("N", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private async Task<int> WriteRowsAsync(string path, string name, DbDataReader reader, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        var rows = 0;
        await using (var file = EncryptedFile.Create(_protector, temporary, name))
        {
            await using var json = new Utf8JsonWriter(file);
            json.WriteStartArray();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                json.WriteStringValue(reader.GetName(i));
            }

            json.WriteEndArray();
            await json.FlushAsync(cancellationToken);
            file.WriteByte((byte)'\n');
            while (await reader.ReadAsync(cancellationToken))
            {
                if (++rows > _options.MaxRowsPerEntity)
                {
                    throw new PackageTooLargeException(
                        string.Create(CultureInfo.InvariantCulture, $"more than {_options.MaxRowsPerEntity} rows in one entity (Packages:MaxRowsPerEntity)"));
                }

                json.Reset();
                json.WriteStartArray();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    WriteValue(json, await reader.IsDBNullAsync(i, cancellationToken) ? null : reader.GetValue(i));
                }

                json.WriteEndArray();
                await json.FlushAsync(cancellationToken);
                file.WriteByte((byte)'\n');
            }
        }

        File.Move(temporary, path, overwrite: true);
        return rows;
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case long or int or short or decimal or double or float:
                json.WriteRawValue(Convert.ToString(value, CultureInfo.InvariantCulture)!);
                break;
            case DateTime time:
                json.WriteStringValue(DateTime.SpecifyKind(time, time.Kind == DateTimeKind.Unspecified ? DateTimeKind.Unspecified : DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset time:
                json.WriteStringValue(time.ToString("O", CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static async Task WriteJsonAsync<T>(string path, T value, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        await using (var file = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(file, value, Json, cancellationToken);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static async Task<T?> ReadJsonAsync<T>(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return default;
        }

        await using var file = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<T>(file, Json, cancellationToken);
    }

    private static string PartName(Guid caseId, string storeId, string entity) => $"{caseId:N}/parts/{storeId}/{entity}";

    private static string PackageName(Guid caseId) => $"{caseId:N}/package.zip";

    /// <summary>Passes writes on to the encrypted file while hashing and counting them: the hash is of the ZIP the person gets.</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Written; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
            Written += buffer.Length;
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

/// <summary>An export beyond the configured limits: a failure of the store's action, for the DPO.</summary>
public sealed class PackageTooLargeException(string message) : Exception(message)
{
    public PackageTooLargeException()
        : this("the export is too large")
    {
    }

    public PackageTooLargeException(string message, Exception innerException)
        : this(message + ": " + innerException?.Message)
    {
    }
}
