using System.Globalization;
using System.Text.Json;

namespace Kindling.Terraform;

/// <summary>
/// Reads terraform's machine-readable UI (<c>plan -json</c>, <c>apply -json</c>: one JSON object per line, with
/// <c>type</c> telling what it is) into progress events, one line per resource, and collects the diagnostics
/// and the change summary. Pure: the elapsed time of a resource is the difference of terraform's own
/// <c>@timestamp</c>s, so the same lines always give the same events.
/// </summary>
internal sealed class TerraformJsonUi(bool showPlannedChanges = true)
{
    // terraform reports apply_progress every 10 s for a slow resource (an EKS cluster takes ~10 min on AWS);
    // one "still creating" line a minute is enough to show it is alive.
    private const int ProgressEverySeconds = 60;

    private readonly Dictionary<string, DateTimeOffset> started = new(StringComparer.Ordinal);
    private readonly List<TerraformDiagnostic> diagnostics = [];

    /// <summary>Errors and warnings so far, in the order terraform reported them.</summary>
    public IReadOnlyList<TerraformDiagnostic> Diagnostics => diagnostics;

    /// <summary>The plan's change summary, once terraform has reported it.</summary>
    public TerraformChangeSummary? PlanSummary { get; private set; }

    /// <summary>The apply's (or destroy's) change summary, once terraform has reported it.</summary>
    public TerraformChangeSummary? ApplySummary { get; private set; }

    /// <summary>Interprets one line; returns the event to show, if any. Lines that are not JSON are ignored.</summary>
    public ProgressEvent? Read(string line)
    {
        if (line.Length == 0 || line[0] != '{') return null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            return String(root, "type") switch
            {
                // Applying a saved plan repeats its planned changes; they were shown when it was made.
                "planned_change" => showPlannedChanges ? Planned(root) : null,
                "apply_start" => Start(root),
                "apply_progress" => Progress(root),
                "apply_complete" => Complete(root),
                "apply_errored" => Errored(root),
                "resource_drift" => Drift(root),
                "change_summary" => Summary(root),
                "diagnostic" => Diagnostic(root),
                _ => null,
            };
        }
    }

    private static ProgressEvent? Planned(JsonElement root)
    {
        var change = root.GetProperty("change");
        var action = String(change, "action") ?? "";
        if (action is "noop" or "read") return null;
        return new ProgressEvent(Address(change), ProgressStatus.Info, $"will be {Past(action)}");
    }

    private ProgressEvent? Start(JsonElement root)
    {
        var hook = root.GetProperty("hook");
        if (Timestamp(root) is { } at) started[Address(hook)] = at;
        return null;
    }

    // Data sources are read on every run; they change nothing, so they get no line.
    private static bool IsRead(JsonElement hook) => String(hook, "action") == "read";

    private static ProgressEvent? Progress(JsonElement root)
    {
        var hook = root.GetProperty("hook");
        var seconds = Int(hook, "elapsed_seconds");
        if (seconds <= 0 || seconds % ProgressEverySeconds != 0) return null;
        return new ProgressEvent(Address(hook), ProgressStatus.Waiting, $"still {Progressive(String(hook, "action"))}",
            TimeSpan.FromSeconds(seconds));
    }

    private ProgressEvent? Complete(JsonElement root)
    {
        var hook = root.GetProperty("hook");
        var address = Address(hook);
        if (IsRead(hook))
        {
            started.Remove(address);
            return null;
        }
        var message = Past(String(hook, "action"));
        if (String(hook, "id_value") is { Length: > 0 } id) message += $" ({String(hook, "id_key") ?? "id"}={id})";
        return new ProgressEvent(address, ProgressStatus.Changed, message, Elapsed(root, hook, address));
    }

    private ProgressEvent Errored(JsonElement root)
    {
        var hook = root.GetProperty("hook");
        var address = Address(hook);
        return new ProgressEvent(address, ProgressStatus.Failed, $"{Progressive(String(hook, "action"))} failed",
            Elapsed(root, hook, address));
    }

    private static ProgressEvent Drift(JsonElement root)
    {
        var change = root.GetProperty("change");
        return new ProgressEvent(Address(change), ProgressStatus.Info, "changed outside Terraform");
    }

    private ProgressEvent? Summary(JsonElement root)
    {
        var changes = root.GetProperty("changes");
        var summary = new TerraformChangeSummary(Int(changes, "add"), Int(changes, "change"), Int(changes, "remove"));
        if (String(changes, "operation") == "plan") PlanSummary = summary;
        else ApplySummary = summary;
        return null;
    }

    private ProgressEvent? Diagnostic(JsonElement root)
    {
        var d = root.GetProperty("diagnostic");
        string? location = null;
        if (d.TryGetProperty("range", out var range) && String(range, "filename") is { } file)
        {
            location = range.TryGetProperty("start", out var start) ? $"{file} line {Int(start, "line")}" : file;
        }
        var diagnostic = new TerraformDiagnostic(
            String(d, "severity") ?? "error", String(d, "summary") ?? "", String(d, "detail") ?? "",
            String(d, "address"), location);
        diagnostics.Add(diagnostic);
        return diagnostic.Severity == "warning"
            ? new ProgressEvent(diagnostic.Address ?? "terraform", ProgressStatus.Info, $"warning: {diagnostic.Summary}")
            : null;
    }

    private TimeSpan? Elapsed(JsonElement root, JsonElement hook, string address)
    {
        if (started.Remove(address, out var begin) && Timestamp(root) is { } end && end >= begin) return end - begin;
        return hook.TryGetProperty("elapsed_seconds", out _) ? TimeSpan.FromSeconds(Int(hook, "elapsed_seconds")) : null;
    }

    private static string Address(JsonElement hookOrChange) =>
        hookOrChange.TryGetProperty("resource", out var resource) ? String(resource, "addr") ?? "?" : "?";

    private static DateTimeOffset? Timestamp(JsonElement root) =>
        String(root, "@timestamp") is { } text &&
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : 0;

    private static string Past(string? action) => action switch
    {
        "create" => "created",
        "update" => "updated",
        "delete" => "destroyed",
        "replace" or "create-then-delete" or "delete-then-create" => "replaced",
        "read" => "read",
        "import" => "imported",
        "move" => "moved",
        "remove" or "forget" => "removed from state",
        _ => action ?? "changed",
    };

    private static string Progressive(string? action) => action switch
    {
        "create" => "creating",
        "update" => "updating",
        "delete" => "destroying",
        "replace" => "replacing",
        "read" => "reading",
        _ => "applying",
    };
}
