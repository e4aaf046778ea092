using k8s;
namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// LimitRanges in the namespace that would reject one of the environment's pods at creation (403 Forbidden from
/// the LimitRanger): the notebook, a driver, an executor, each with its real requests and limits.
/// </summary>
internal sealed class LimitRangeCheck : IDoctorCheck
{
    public string Name => "limit-range";

    public bool Preflight => true;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var ranges = (await context.Connection.CallAsync($"list LimitRanges in {context.Namespace}",
            (k, ct) => k.CoreV1.ListNamespacedLimitRangeAsync(context.Namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false)).Items;
        if (ranges.Count == 0) return [CheckResult.Ok(Name, $"no LimitRange in namespace {context.Namespace}")];
        var pods = context.ForUp ? context.Pods.Where(p => p.Role == "notebook") : context.Pods;
        var results = new List<CheckResult>();
        foreach (var pod in pods)
        {
            var admitted = LimitRanges.Apply(pod, ranges);
            var broken = ranges.SelectMany(r => LimitRanges.Violations(admitted, r)).ToList();
            if (broken.Count > 0)
                results.Add(CheckResult.Fail(Name, $"the {pod.Describe()} would be rejected: {string.Join("; ", broken)}",
                    pod.Role == "notebook" ? "lower notebook.cpu / notebook.memory in kindling.yaml, or ask the namespace admin to raise the LimitRange"
                        : $"lower spark.{(pod.Role == "driver" ? "driver" : "executors")} memory/cores in kindling.yaml (the pod also gets Spark's memory overhead), or ask the namespace admin to raise the LimitRange"));
        }
        return results.Count > 0 ? results
            : [CheckResult.Ok(Name, $"{string.Join(", ", ranges.Select(r => r.Metadata.Name))} admit the {string.Join(", ", pods.Select(p => p.Role))} pods")];
    }
}
