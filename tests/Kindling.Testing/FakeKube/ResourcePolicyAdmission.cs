using System.Text.Json.Nodes;
using k8s.Models;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// The LimitRanger and ResourceQuota admission plugins for pod creation, as a real apiserver runs them (both are
/// in the default enabled set): LimitRange defaults are filled in first, then min/max/ratio are enforced per
/// Container and per Pod, then every ResourceQuota of the namespace is charged. Rejections are 403 Forbidden with
/// the plugins' message shapes (plugin/pkg/admission/limitranger and resourcequota in kubernetes/kubernetes).
/// Quota usage is computed from the stored, non-terminal pods at admission time; <c>status.used</c> is whatever
/// the test stored (the real quota controller fills it in asynchronously).
/// </summary>
internal static class ResourcePolicyAdmission
{
    private static readonly string[] Resources = ["cpu", "memory"];

    public static void Admit(ObjectStore store, JsonObject pod)
    {
        var ns = Json.Namespace(pod)!;
        var name = Json.Name(pod);
        var containers = pod["spec"]?["containers"] as JsonArray ?? [];
        foreach (var range in store.All(ResourceCatalog.LimitRanges, ns).ToList())
        {
            foreach (var item in (range["spec"]?["limits"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var type = Json.Str(item, "type");
                if (type == "Container")
                {
                    foreach (var container in containers.OfType<JsonObject>())
                    {
                        ApplyDefaults(container, item);
                        CheckContainer(name, container, item);
                    }
                }
                else if (type == "Pod")
                {
                    CheckPod(name, containers, item);
                }
            }
        }

        var usage = Usage(containers);
        foreach (var quota in store.All(ResourceCatalog.ResourceQuotas, ns).ToList())
        {
            var used = store.All(ResourceCatalog.Pods, ns)
                .Where(p => Json.Str(p["status"], "phase") is not ("Succeeded" or "Failed"))
                .Select(p => Usage(p["spec"]?["containers"] as JsonArray ?? []))
                .Aggregate(new Dictionary<string, decimal>(), Add);
            ChargeQuota(name, quota, containers, usage, used);
        }
    }

    // SetDefaults_LimitRangeItem (pkg/apis/core/v1/defaults.go): default limit falls back to max, default request
    // to the default limit, then to min; the LimitRanger then fills what a container leaves out.
    private static void ApplyDefaults(JsonObject container, JsonObject item)
    {
        var resources = container["resources"] as JsonObject ?? new JsonObject();
        container["resources"] = resources;
        var limits = resources["limits"] as JsonObject ?? new JsonObject();
        var requests = resources["requests"] as JsonObject ?? new JsonObject();
        foreach (var r in Resources)
        {
            var defaultLimit = Json.Str(item["default"], r) ?? Json.Str(item["max"], r);
            var defaultRequest = Json.Str(item["defaultRequest"], r) ?? defaultLimit ?? Json.Str(item["min"], r);
            // Pod defaulting already gave a container with a limit and no request the limit as request, so what is
            // still missing takes the LimitRange's default request.
            if (requests[r] is null && (limits[r] is not null ? Json.Str(limits, r) : defaultRequest) is { } request) requests[r] = request;
            if (limits[r] is null && defaultLimit is not null) limits[r] = defaultLimit;
        }

        if (limits.Count > 0) resources["limits"] = limits;
        if (requests.Count > 0) resources["requests"] = requests;
    }

    private static void CheckContainer(string pod, JsonObject container, JsonObject item)
    {
        foreach (var r in Resources)
        {
            var request = Quantity(container["resources"]?["requests"], r);
            var limit = Quantity(container["resources"]?["limits"], r);
            if (Json.Str(item["min"], r) is { } min && (request ?? 0) < Parse(min))
                throw Forbidden(pod, $"minimum {r} usage per Container is {min}, but request is {Show(container["resources"]?["requests"], r)}");
            if (Json.Str(item["max"], r) is { } max)
            {
                if (limit is null) throw Forbidden(pod, $"maximum {r} usage per Container is {max}.  No limit is specified");
                if (limit > Parse(max)) throw Forbidden(pod, $"maximum {r} usage per Container is {max}, but limit is {Show(container["resources"]?["limits"], r)}");
            }

            if (Json.Str(item["maxLimitRequestRatio"], r) is { } ratio && limit is { } l && request is > 0 && l / request.Value > Parse(ratio))
                throw Forbidden(pod, $"{r} max limit to request ratio per Container is {ratio}, but provided ratio is {l / request.Value:0.######}");
        }
    }

    private static void CheckPod(string pod, JsonArray containers, JsonObject item)
    {
        var usage = Usage(containers);
        foreach (var r in Resources)
        {
            if (Json.Str(item["max"], r) is { } max && usage.GetValueOrDefault("limits." + r) > Parse(max))
                throw Forbidden(pod, $"maximum {r} usage per Pod is {max}, but limit is {usage["limits." + r]}");
            if (Json.Str(item["min"], r) is { } min && usage.GetValueOrDefault("requests." + r) < Parse(min))
                throw Forbidden(pod, $"minimum {r} usage per Pod is {min}, but request is {usage.GetValueOrDefault("requests." + r)}");
        }
    }

    private static void ChargeQuota(string pod, JsonObject quota, JsonArray containers, Dictionary<string, decimal> requested, Dictionary<string, decimal> used)
    {
        var hard = quota["spec"]?["hard"] as JsonObject ?? new JsonObject();
        var quotaName = Json.Name(quota);
        // A quota on a compute resource makes that value mandatory on every container (resourcequota evaluator).
        foreach (var (key, _) in hard)
        {
            var tracked = Canonical(key);
            if (tracked is null || tracked == "pods") continue;
            var parts = tracked.Split('.');
            var missing = containers.OfType<JsonObject>()
                .Where(c => c["resources"]?[parts[0]]?[parts[1]] is null)
                .Select(c => Json.Str(c, "name")).ToList();
            if (missing.Count > 0) throw Forbidden(pod, $"failed quota: {quotaName}: must specify {tracked} for: {string.Join(",", missing)}");
        }

        var exceeded = new List<(string Key, decimal Requested, decimal Used, string Hard)>();
        foreach (var (key, value) in hard)
        {
            var tracked = Canonical(key);
            if (tracked is null || value is null) continue;
            var want = requested.GetValueOrDefault(tracked);
            var have = used.GetValueOrDefault(tracked);
            if (want > 0 && have + want > Parse(value.ToString())) exceeded.Add((key, want, have, value.ToString()));
        }

        if (exceeded.Count == 0) return;
        string Join(Func<(string Key, decimal Requested, decimal Used, string Hard), string> f) => string.Join(",", exceeded.Select(f));
        throw Forbidden(pod, $"exceeded quota: {quotaName}, requested: {Join(e => $"{e.Key}={Format(e.Key, e.Requested)}")}, " +
                             $"used: {Join(e => $"{e.Key}={Format(e.Key, e.Used)}")}, limited: {Join(e => $"{e.Key}={e.Hard}")}");
    }

    // "cpu" and "memory" in a quota mean their requests.
    private static string? Canonical(string key) => key switch
    {
        "cpu" => "requests.cpu",
        "memory" => "requests.memory",
        "requests.cpu" or "requests.memory" or "limits.cpu" or "limits.memory" or "pods" => key,
        _ => null,
    };

    private static Dictionary<string, decimal> Usage(JsonArray containers)
    {
        var usage = new Dictionary<string, decimal> { ["pods"] = 1 };
        foreach (var c in containers.OfType<JsonObject>())
        {
            foreach (var kind in new[] { "requests", "limits" })
            {
                foreach (var r in Resources)
                {
                    if (Quantity(c["resources"]?[kind], r) is { } q) usage[$"{kind}.{r}"] = usage.GetValueOrDefault($"{kind}.{r}") + q;
                }
            }
        }

        return usage;
    }

    private static Dictionary<string, decimal> Add(Dictionary<string, decimal> total, Dictionary<string, decimal> one)
    {
        foreach (var (k, v) in one) total[k] = total.GetValueOrDefault(k) + v;
        return total;
    }

    private static decimal? Quantity(JsonNode? map, string key) => Json.Str(map, key) is { } s ? Parse(s) : null;

    private static string Show(JsonNode? map, string key) => Json.Str(map, key) ?? "0";

    private static decimal Parse(string quantity) => new ResourceQuantity(quantity).ToDecimal();

    private static string Format(string key, decimal value) =>
        key.EndsWith("memory", StringComparison.Ordinal) && value % (1024 * 1024) == 0
            ? $"{value / (1024 * 1024):0}Mi"
            : value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static ApiException Forbidden(string pod, string message) =>
        new(403, "Forbidden", $"pods \"{pod}\" is forbidden: {message}", ApiException.DetailsFor(ResourceCatalog.Pods, pod));
}
