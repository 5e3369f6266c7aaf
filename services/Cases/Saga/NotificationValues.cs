using System.Globalization;

namespace Closely.Cases.Saga;

/// <summary>The values a notice about a case may show: no personal data beyond what the recipient knows.</summary>
internal static class NotificationValues
{
    public static IReadOnlyDictionary<string, string> For(CaseState saga, params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string>
        {
            ["reference"] = saga.Reference,
            ["right"] = saga.Right.ToString(),
            ["receivedAt"] = saga.ReceivedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["dueAt"] = saga.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["targetAt"] = saga.TargetOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["state"] = saga.CurrentState,
            ["outcome"] = saga.Outcome ?? "",
            ["stores"] = string.Join("; ", saga.Stores.Select(s => $"{s.StoreId}: {s.Status}{(s.Reason is null ? "" : " (" + s.Reason + ")")}")),
        };
        foreach (var (key, value) in extra)
        {
            values[key] = value;
        }

        return values;
    }
}
