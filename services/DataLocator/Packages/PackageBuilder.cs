using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Closely.BuildingBlocks.Localization;
using Closely.Contracts;
using Closely.Stores.Registry;
using CsvHelper;
using Microsoft.Extensions.Options;

namespace Closely.DataLocator.Packages;

/// <summary>
/// Writes a case's package, a ZIP streamed from the stores' parts (never whole in memory): <c>data.json</c> (store →
/// entity → rows with readable field names, and the package's metadata), <c>csv/&lt;store&gt;/&lt;entity&gt;.csv</c>
/// (the same rows), and <c>index.html</c>, the summary for the person in the case's language with the Art 15(1)
/// information from the registry, items (a) to (h).
/// </summary>
public sealed class PackageBuilder(PackageStore packages, StoreRegistry registry, IOptions<PackageOptions> options)
{
    public async Task WriteAsync(
        Stream output, AssembleDataPackage request, IReadOnlyList<StorePart> parts, DateTimeOffset generatedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parts);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        await WriteDataJsonAsync(zip, request, parts, generatedAt, cancellationToken);
        foreach (var part in parts)
        {
            foreach (var entity in part.Entities)
            {
                await WriteCsvAsync(zip, request.CaseId, entity, cancellationToken);
            }
        }

        var entry = zip.CreateEntry("index.html", CompressionLevel.Optimal);
        await using var html = new StreamWriter(entry.Open(), new UTF8Encoding(false));
        await html.WriteAsync(SummaryPage(request, parts, generatedAt));
    }

    /// <summary>A column name as a person reads it: <c>linkedin_url</c> → <c>LinkedIn URL</c>.</summary>
    public static string Readable(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var words = column.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(w => w switch
        {
            "id" => "ID",
            "url" => "URL",
            "linkedin" => "LinkedIn",
            "at" => "at",
            _ => w,
        }).ToList();
        if (words.Count == 0)
        {
            return column;
        }

        words[0] = char.ToUpperInvariant(words[0][0]) + words[0][1..];
        return string.Join(' ', words);
    }

    private async Task WriteDataJsonAsync(
        ZipArchive zip, AssembleDataPackage request, IReadOnlyList<StorePart> parts, DateTimeOffset generatedAt, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry("data.json", CompressionLevel.Optimal);
        await using var stream = entry.Open();
        await using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("reference", request.Reference);
        json.WriteString("kind", request.Kind == DataPackageKind.Portability ? "portability" : "access");
        json.WriteString("generatedAt", generatedAt.ToString("O", CultureInfo.InvariantCulture));
        json.WriteString("controller", "Closely");
        json.WriteStartArray("storesIncluded");
        foreach (var part in parts)
        {
            json.WriteStringValue(part.StoreId);
        }

        json.WriteEndArray();
        json.WriteStartArray("stores");
        foreach (var part in parts)
        {
            var store = registry.Find(part.StoreId);
            json.WriteStartObject();
            json.WriteString("store", part.StoreId);
            json.WriteString("provider", store?.Provider);
            json.WriteString("region", store?.Region);
            json.WriteStartArray("entities");
            foreach (var entity in part.Entities)
            {
                json.WriteStartObject();
                json.WriteString("entity", entity.Entity);
                json.WriteNumber("count", entity.Rows);
                json.WriteStartArray("rows");
                string[]? columns = null;
                await foreach (var row in packages.ReadRowsAsync(request.CaseId, part.StoreId, entity.Entity, cancellationToken))
                {
                    if (columns is null)
                    {
                        columns = [.. row.EnumerateArray().Select(c => Readable(c.GetString()!))];
                        continue;
                    }

                    json.WriteStartObject();
                    var i = 0;
                    foreach (var value in row.EnumerateArray())
                    {
                        json.WritePropertyName(columns[i++]);
                        value.WriteTo(json);
                    }

                    json.WriteEndObject();
                    if (json.BytesPending > 32 * 1024)
                    {
                        await json.FlushAsync(cancellationToken);
                    }
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    private async Task WriteCsvAsync(ZipArchive zip, Guid caseId, DataPackageEntry entity, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry($"csv/{entity.StoreId}/{entity.Entity}.csv", CompressionLevel.Optimal);
        await using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        var header = true;
        await foreach (var row in packages.ReadRowsAsync(caseId, entity.StoreId, entity.Entity, cancellationToken))
        {
            foreach (var value in row.EnumerateArray())
            {
                csv.WriteField(header ? Readable(value.GetString()!) : Field(value));
            }

            await csv.NextRecordAsync();
            header = false;
        }
    }

    private static string Field(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "",
        JsonValueKind.String => value.GetString()!,
        _ => value.GetRawText(),
    };

    private string SummaryPage(AssembleDataPackage request, IReadOnlyList<StorePart> parts, DateTimeOffset generatedAt)
    {
        var texts = PackageTexts.For(request.Language);
        var language = PublicLanguages.Of(request.Language);
        var stores = parts.Select(p => registry.Find(p.StoreId)).OfType<StoreDefinition>().ToList();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(language.Code).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>").Append(E(texts.SummaryTitle)).Append("</title>\n")
            .Append("<style>body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 48rem; margin: 0 auto; padding: 0 1rem; } ")
            .Append("table { border-collapse: collapse; } th, td { border: 1px solid #b1b4b6; padding: .25rem .5rem; text-align: left; }</style>\n")
            .Append("</head>\n<body>\n<main>\n<h1>").Append(E(texts.SummaryTitle)).Append("</h1>\n<p>")
            .Append(E(texts.Reference)).Append(": ").Append(E(request.Reference)).Append("<br>")
            .Append(E(texts.GeneratedAt)).Append(": ").Append(E(language.FormatDate(DateOnly.FromDateTime(generatedAt.UtcDateTime)))).Append("</p>\n")
            .Append("<p>").Append(E(request.Kind == DataPackageKind.Portability ? texts.PortabilityIntro : texts.AccessIntro)).Append("</p>\n")
            .Append("<p>").Append(E(texts.FilesIntro)).Append("</p>\n");

        html.Append("<h2>").Append(E(texts.ContentsHeading)).Append("</h2>\n<table>\n<tr><th scope=\"col\">").Append(E(texts.StoreColumn))
            .Append("</th><th scope=\"col\">").Append(E(texts.EntityColumn)).Append("</th><th scope=\"col\">").Append(E(texts.RowsColumn)).Append("</th></tr>\n");
        foreach (var entity in parts.SelectMany(p => p.Entities))
        {
            html.Append("<tr><td>").Append(E(entity.StoreId)).Append("</td><td>").Append(E(entity.Entity)).Append("</td><td>")
                .Append(entity.Rows.ToString(language.Culture)).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
        var missing = request.StoreIds.Except(parts.Select(p => p.StoreId)).ToList();
        if (missing.Count > 0)
        {
            html.Append("<p>").Append(E(texts.NotIncluded)).Append(' ').Append(E(string.Join(", ", missing))).Append("</p>\n");
        }

        Section(html, "a", texts.PurposesHeading, stores.Select(s => (s.Id, $"{s.Information.Purposes.In(language.Code)} {texts.LegalBasis}: {s.Information.LegalBasis.In(language.Code)}")));
        Section(html, "b", texts.CategoriesHeading, stores.SelectMany(s => s.Entities
            .Where(e => parts.Single(p => p.StoreId == s.Id).Entities.Any(x => x.Entity == e.Name))
            .Select(e => ($"{s.Id} – {e.Name}", e.Categories.In(language.Code)))));
        Section(html, "c", texts.RecipientsHeading, stores.Select(s => (s.Id, s.Information.Recipients.In(language.Code))));
        Section(html, "d", texts.RetentionHeading, stores.Select(s => (s.Id, s.Information.Retention.In(language.Code))));
        html.Append("<section id=\"item-e\">\n<h2>").Append(E(texts.RightsHeading)).Append("</h2>\n<p>").Append(E(texts.Rights)).Append(" <a href=\"")
            .Append(E(options.Value.PrivacyCentreUrl.ToString())).Append("\">").Append(E(options.Value.PrivacyCentreUrl.ToString())).Append("</a></p>\n</section>\n");
        html.Append("<section id=\"item-f\">\n<h2>").Append(E(texts.ComplaintHeading)).Append("</h2>\n<p>").Append(E(texts.Complaint)).Append("</p>\n</section>\n");
        Section(html, "g", texts.SourceHeading, stores.Select(s => (s.Id, s.Information.Source.In(language.Code))));
        html.Append("<section id=\"item-h\">\n<h2>").Append(E(texts.AutomatedHeading)).Append("</h2>\n<p>").Append(E(texts.Automated)).Append("</p>\n</section>\n");
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Section(StringBuilder html, string item, string heading, IEnumerable<(string Name, string Text)> lines)
    {
        html.Append("<section id=\"item-").Append(item).Append("\">\n<h2>").Append(E(heading)).Append("</h2>\n<dl>\n");
        foreach (var (name, text) in lines)
        {
            html.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(E(text)).Append("</dd>\n");
        }

        html.Append("</dl>\n</section>\n");
    }

    private static string E(string value) => PlainPage.Encode(value);
}
