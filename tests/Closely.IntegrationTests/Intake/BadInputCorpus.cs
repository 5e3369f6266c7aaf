using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Closely.IntegrationTests.Intake;

/// <summary>
/// The bad-input corpus (<c>Intake/BadInputs/bad-inputs.json</c>): each case changes one field of a valid request and
/// names the channels it is sent through. <see cref="Inputs"/> expands it into one input per channel.
/// </summary>
public sealed record BadInputCase(
    [property: JsonPropertyName("field")] string Field,
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("why")] string Why,
    [property: JsonPropertyName("channels")] IReadOnlyList<string>? Channels,
    [property: JsonPropertyName("status")] int? Status,
    [property: JsonPropertyName("agent")] bool Agent,
    [property: JsonPropertyName("with")] IReadOnlyDictionary<string, string>? With)
{
    public const string Api = "api";
    public const string Client = "client";
    public const string Form = "form";

    /// <summary>The form's first input, where problems of the form as a whole point to.</summary>
    private const string FormFirstField = "Right-access";

    public static IReadOnlyList<BadInput> Inputs(string tag)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Intake", "BadInputs", "bad-inputs.json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var cases = json.RootElement.GetProperty("cases").Deserialize<List<BadInputCase>>()!;
        return cases
            .SelectMany((c, index) => (c.Channels ?? [Api, Client, Form]).Select(channel => new BadInput(index, channel, c.WithTag(tag))))
            .ToList();
    }

    private BadInputCase WithTag(string tag) => this with
    {
        Value = Value?.Replace("{tag}", tag, StringComparison.Ordinal),
        With = With?.ToDictionary(w => w.Key, w => w.Value.Replace("{tag}", tag, StringComparison.Ordinal)),
    };

    public int ExpectedStatus => Status ?? 400;

    /// <summary>The name an API's problem gives the field under <c>errors</c>; null when the status alone tells (415, 413).</summary>
    public string? ProblemField => ExpectedStatus != 400 ? null : Field;

    /// <summary>The id of the form input the form's error summary links to.</summary>
    public string FormErrorId => Field switch
    {
        "type" or "antiforgery" => FormFirstField,
        "email" => "SubjectEmail",
        "fullName" => "SubjectFullName",
        "restrictionGround" => "RestrictionGround-a",
        _ => char.ToUpperInvariant(Field[0]) + Field[1..],
    };
}

/// <summary>One bad input: a corpus case sent through one channel, with addresses of its own.</summary>
public sealed record BadInput(int Index, string Channel, BadInputCase Case)
{
    private static readonly byte[] Authority = "%PDF-1.4\n1 0 obj << /Title (Authority) >> endobj\n%%EOF\n"u8.ToArray();

    public string Name => $"#{Index} {Channel} {Case.Field}: {Case.Why}";

    public string SubjectEmail(string tag) => Case.With?.GetValueOrDefault("email") ?? $"case{Index}-{Channel}@{tag}.example.org";

    /// <summary>The JSON body for the APIs: a valid request with the case's change.</summary>
    public HttpContent ApiContent(string tag)
    {
        if (Case.Field == "body")
        {
            return Json(Encoding.UTF8.GetBytes(Case.Value ?? ""));
        }

        var body = new JsonObject
        {
            ["type"] = "erasure",
            ["email"] = SubjectEmail(tag),
            ["fullName"] = "Ada Lovelace",
            ["details"] = "Please erase me.",
        };
        foreach (var (field, value) in Case.With ?? new Dictionary<string, string>())
        {
            body[field] = value;
        }

        if (Case.Field != "contentType")
        {
            body.Remove(Case.Field);
            if (Case.Value is not null)
            {
                body[Case.Field] = Case.Value;
            }
        }

        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        if (Case.Field != "contentType")
        {
            return Json(bytes);
        }

        var content = new ByteArrayContent(bytes);
        if (Case.Value is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(Case.Value);
        }

        return content;
    }

    /// <summary>The form's fields: a valid request (an agent's when the case is about the agent) with the case's change.</summary>
    public MultipartFormDataContent FormContent(string tag, string antiforgeryToken)
    {
        var type = Case.With?.GetValueOrDefault("type") ?? "erasure";
        var agent = Case.Agent || Case.Field.StartsWith("agent", StringComparison.Ordinal);
        var fields = new Dictionary<string, string?>
        {
            ["__RequestVerificationToken"] = antiforgeryToken,
            ["Right"] = type,
            ["SubjectEmail"] = SubjectEmail(tag),
            ["SubjectFullName"] = "Ada Lovelace",
            ["Details"] = "Please erase me.",
            ["ActingFor"] = agent ? "agent" : "self",
        };
        if (type == "rectification")
        {
            fields["WhatIsWrong"] = "My job title is Sales Manager.";
            fields["Correction"] = "My job title is Head of Sales.";
        }

        if (type == "restriction")
        {
            fields["RestrictionGround"] = "c";
        }

        if (agent)
        {
            fields["AgentFullName"] = "Margaret Hamilton";
            fields["AgentEmail"] = $"agent{Index}@{tag}.example.net";
        }

        var name = Case.Field switch
        {
            "antiforgery" => "__RequestVerificationToken",
            "type" => "Right",
            _ => Case.FormErrorId.Split('-')[0],
        };
        // An empty antiforgery case sends none, as another site's form would.
        fields[name] = Case.Field == "antiforgery" && Case.Value == "" ? null : Case.Value;

        var content = new MultipartFormDataContent();
        foreach (var (field, value) in fields)
        {
            if (value is not null)
            {
                content.Add(new StringContent(value, Encoding.UTF8), field);
            }
        }

        if (agent)
        {
            var file = new ByteArrayContent(Authority);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            content.Add(file, "Authority", "authority.pdf");
        }

        return content;
    }

    private static ByteArrayContent Json(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
