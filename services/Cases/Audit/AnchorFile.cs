using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Closely.Cases.Audit;

/// <summary>
/// The append-only sink of the anchors: <c>audit-anchors.jsonl</c> in <see cref="AuditOptions.AnchorDirectory"/>, one
/// JSON line per anchor. The service only appends; it keeps the folder outside the database's reach (a write-once
/// mount, a separate host, or a file with the append-only attribute, <c>chattr +a</c>).
/// </summary>
public sealed class AnchorFile(IOptions<AuditOptions> options, IHostEnvironment environment)
{
    public const string FileName = "audit-anchors.jsonl";

    public string Path { get; } = System.IO.Path.Combine(
        System.IO.Path.GetFullPath(options.Value.AnchorDirectory, environment.ContentRootPath), FileName);

    public void Append(AuditAnchor anchor)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var line = JsonSerializer.SerializeToUtf8Bytes(anchor, AuditAnchor.JsonOptions);
        using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        file.Write([.. line, (byte)'\n']);
        file.Flush(flushToDisk: true);
    }

    /// <summary>
    /// The anchors from the last to the first, as far as they parse. A last line without its line feed is a write
    /// that was cut short and is left out.
    /// </summary>
    public IEnumerable<AuditAnchor> NewestFirst()
    {
        foreach (var line in LinesFromTheEnd())
        {
            AuditAnchor? anchor;
            try
            {
                anchor = JsonSerializer.Deserialize<AuditAnchor>(line, AuditAnchor.JsonOptions);
            }
            catch (JsonException)
            {
                continue;
            }

            if (anchor is not null)
            {
                yield return anchor;
            }
        }
    }

    private IEnumerable<string> LinesFromTheEnd()
    {
        if (!File.Exists(Path))
        {
            yield break;
        }

        using var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var chunk = new byte[64 * 1024];
        var line = new List<byte>();
        var terminated = false;
        for (var position = file.Length; position > 0;)
        {
            var count = (int)Math.Min(chunk.Length, position);
            position -= count;
            file.Position = position;
            file.ReadExactly(chunk, 0, count);
            for (var i = count - 1; i >= 0; i--)
            {
                if (chunk[i] != '\n')
                {
                    line.Add(chunk[i]);
                    continue;
                }

                if (terminated && line.Count > 0)
                {
                    yield return Decode(line);
                }

                line.Clear();
                terminated = true;
            }
        }

        if (terminated && line.Count > 0)
        {
            yield return Decode(line);
        }
    }

    private static string Decode(List<byte> reversed)
    {
        var bytes = reversed.ToArray();
        Array.Reverse(bytes);
        return Encoding.UTF8.GetString(bytes);
    }
}
