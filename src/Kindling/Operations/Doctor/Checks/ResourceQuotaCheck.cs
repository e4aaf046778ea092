using k8s;
namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// ResourceQuotas in the namespace that would reject the environment's pods: a quota on a compute resource makes
/// that request or limit mandatory on every container, and a pod whose usage would exceed <c>hard</c> is refused
/// (403 "exceeded quota"; kubernetes.io "Resource Quotas"). Judged after LimitRange defaulting, as admission does.
/// </summary>
internal sealed class ResourceQuotaCheck : IDoctorCheck
{
    public string Name => "resource-quota";

    public bool Preflight => true;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var ns = context.Namespace;
        var quotas = (await context.Connection.CallAsync($"list ResourceQuotas in {ns}",
            (k, ct) => k.CoreV1.ListNamespacedResourceQuotaAsync(ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false)).Items;
        if (quotas.Count == 0) return [CheckResult.Ok(Name, $"no ResourceQuota in namespace {ns}")];
        var ranges = (await context.Connection.CallAsync($"list LimitRanges in {ns}",
            (k, ct) => k.CoreV1.ListNamespacedLimitRangeAsync(ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false)).Items;
        var pods = (context.ForUp ? context.Pods.Where(p => p.Role == "notebook") : context.Pods).Select(p => LimitRanges.Apply(p, ranges)).ToList();
        var results = new List<CheckResult>();
        foreach (var quota in quotas)
        {
            var name = quota.Metadata.Name;
            foreach (var (key, hardQuantity) in quota.Spec?.Hard ?? new Dictionary<string, k8s.Models.ResourceQuantity>())
            {
                var tracked = key switch { "cpu" => "requests.cpu", "memory" => "requests.memory", _ => key };
                if (tracked is not ("requests.cpu" or "requests.memory" or "limits.cpu" or "limits.memory" or "pods")) continue;
                var hard = hardQuantity.ToDecimal();
                if (tracked != "pods")
                {
                    var unset = pods.FirstOrDefault(p => p.Containers.Any(c => Value(c, tracked) is null));
                    if (unset is not null)
                    {
                        results.Add(CheckResult.Fail(Name, $"ResourceQuota {name} limits {key}, so every container must set {tracked}; the {unset.Role} pod's container {unset.Containers.First(c => Value(c, tracked) is null).Name} does not, and the pod would be rejected",
                            $"ask the namespace admin for a LimitRange with a default {tracked.Split('.')[1]} {(tracked.StartsWith("limits", StringComparison.Ordinal) ? "limit" : "request")}, or remove {key} from the quota"));
                        continue;
                    }
                }
                decimal Need(PodDemand p) => tracked == "pods" ? 1 : p.Containers.Sum(c => Value(c, tracked) ?? 0);
                var need = pods.Sum(p => Need(p) * p.Count);
                var used = Quantities.Get(quota.Status?.Used, key) ?? 0;
                var what = string.Join(" + ", pods.Select(p => p.Count == 1 ? $"{p.Role} {Quantities.Show(tracked, Need(p))}" : $"{p.Count} x {p.Role} {Quantities.Show(tracked, Need(p))}"));
                var biggest = pods.MaxBy(Need)!;
                if (Need(biggest) > hard)
                    results.Add(CheckResult.Fail(Name, $"ResourceQuota {name} allows {key} {Quantities.Show(tracked, hard)} in total, less than the {biggest.Describe()} alone needs ({Quantities.Show(tracked, Need(biggest))}): it would be rejected",
                        "ask the namespace admin to raise the quota, or lower the sizes in kindling.yaml"));
                else if (need > hard)
                    results.Add(CheckResult.Fail(Name, $"ResourceQuota {name} allows {key} {Quantities.Show(tracked, hard)}, but {what} = {Quantities.Show(tracked, need)}: the last pods would be rejected",
                        "ask the namespace admin to raise the quota, or lower spark.executors.instances / sizes in kindling.yaml"));
                else if (used + need > hard)
                    results.Add(CheckResult.Warn(Name, $"ResourceQuota {name}: {key} {Quantities.Show(tracked, used)} of {Quantities.Show(tracked, hard)} is in use, and {what} need {Quantities.Show(tracked, need)} more",
                        "stop other workloads in the namespace, or ask for a larger quota"));
            }
        }
        return results.Count > 0 ? results : [CheckResult.Ok(Name, $"{string.Join(", ", quotas.Select(q => q.Metadata.Name))} leave room for the {string.Join(", ", pods.Select(p => p.Role))} pods")];
    }

    private static decimal? Value(ContainerDemand c, string tracked) => tracked switch
    {
        "requests.cpu" => c.CpuRequest,
        "requests.memory" => c.MemoryRequest,
        "limits.cpu" => c.CpuLimit,
        "limits.memory" => c.MemoryLimit,
        _ => null,
    };
}
