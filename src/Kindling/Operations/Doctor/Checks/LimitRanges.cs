using k8s;
using k8s.Models;

namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// What the LimitRanger admission plugin does to a container, as a pure function: fill in defaults, then judge
/// min, max and limit/request ratio per Container and per Pod (kubernetes plugin/pkg/admission/limitranger). The
/// defaults themselves are defaulted first (SetDefaults_LimitRangeItem in pkg/apis/core/v1/defaults.go): a missing
/// default limit is the max, a missing default request is the default limit, else the min.
/// </summary>
internal static class LimitRanges
{
    private static readonly string[] Resources = ["cpu", "memory"];

    /// <summary>The containers of <paramref name="pod"/> as admitted under <paramref name="ranges"/>.</summary>
    public static PodDemand Apply(PodDemand pod, IEnumerable<V1LimitRange> ranges)
    {
        var containers = pod.Containers;
        foreach (var item in Items(ranges, "Container"))
        {
            containers = containers.Select(c =>
            {
                decimal? Default(string r, bool limit)
                {
                    var d = Quantities.Get(item.DefaultProperty, r) ?? Quantities.Get(item.Max, r);
                    return limit ? d : Quantities.Get(item.DefaultRequest, r) ?? d ?? Quantities.Get(item.Min, r);
                }
                return c with
                {
                    CpuRequest = c.CpuRequest ?? c.CpuLimit ?? Default("cpu", false),
                    MemoryRequest = c.MemoryRequest ?? c.MemoryLimit ?? Default("memory", false),
                    CpuLimit = c.CpuLimit ?? Default("cpu", true),
                    MemoryLimit = c.MemoryLimit ?? Default("memory", true),
                };
            }).ToList();
        }
        return pod with { Containers = containers };
    }

    /// <summary>Every rule <paramref name="pod"/> (already through <see cref="Apply"/>) breaks, in words.</summary>
    public static IEnumerable<string> Violations(PodDemand pod, V1LimitRange range)
    {
        var name = range.Metadata.Name;
        foreach (var item in Items([range], "Container"))
        {
            foreach (var c in pod.Containers)
            {
                foreach (var r in Resources)
                {
                    var (request, limit) = r == "cpu" ? (c.CpuRequest, c.CpuLimit) : (c.MemoryRequest, c.MemoryLimit);
                    if (Quantities.Get(item.Min, r) is { } min && (request ?? 0) < min)
                        yield return $"its container {c.Name} requests {r} {Show(r, request)}, below LimitRange {name}'s min {Quantities.Show(r, min)} per Container";
                    if (Quantities.Get(item.Max, r) is { } max && (limit ?? decimal.MaxValue) > max)
                        yield return $"its container {c.Name} has {r} limit {Show(r, limit)}, above LimitRange {name}'s max {Quantities.Show(r, max)} per Container";
                    if (Quantities.Get(item.MaxLimitRequestRatio, r) is { } ratio && limit is { } l && request is > 0 && l / request.Value > ratio)
                        yield return $"its container {c.Name} has a {r} limit/request ratio of {l / request.Value:0.##}, above LimitRange {name}'s {ratio:0.##}";
                }
            }
        }
        foreach (var item in Items([range], "Pod"))
        {
            foreach (var r in Resources)
            {
                var limit = pod.Containers.Sum(c => (r == "cpu" ? c.CpuLimit : c.MemoryLimit) ?? 0);
                var request = pod.Containers.Sum(c => (r == "cpu" ? c.CpuRequest : c.MemoryRequest) ?? 0);
                if (Quantities.Get(item.Max, r) is { } max && limit > max)
                    yield return $"its {r} limit {Quantities.Show(r, limit)} is above LimitRange {name}'s max {Quantities.Show(r, max)} per Pod";
                if (Quantities.Get(item.Min, r) is { } min && request < min)
                    yield return $"its {r} request {Quantities.Show(r, request)} is below LimitRange {name}'s min {Quantities.Show(r, min)} per Pod";
            }
        }
    }

    private static string Show(string r, decimal? value) => value is { } v ? Quantities.Show(r, v) : "unset";

    private static IEnumerable<V1LimitRangeItem> Items(IEnumerable<V1LimitRange> ranges, string type) =>
        ranges.SelectMany(r => r.Spec?.Limits ?? []).Where(i => i.Type == type);
}
