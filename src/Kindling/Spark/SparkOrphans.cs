using k8s.Models;

namespace Kindling.Spark;

/// <summary>Why an executor pod is an orphan.</summary>
public enum OrphanReason
{
    /// <summary>The cluster-mode driver pod that owned it is gone.</summary>
    DriverGone,

    /// <summary>The notebook pod whose kernel was its client-mode driver is gone.</summary>
    NotebookGone,

    /// <summary>It has no owner reference and no driver pod carries its app id.</summary>
    NoDriver,

    /// <summary>
    /// A driver pod (not an executor) whose conf ConfigMap never appeared: its submission was cut off between the
    /// pod and its ConfigMap, so it can never start. <see cref="OrphanExecutor.Owner"/> names the missing ConfigMap.
    /// </summary>
    ConfigMapMissing,
}

/// <summary>An executor pod left behind by its driver.</summary>
/// <param name="Pod">The executor pod's name.</param>
/// <param name="AppId">Its <c>spark-app-selector</c>.</param>
/// <param name="Owner">The missing owner's name, when it had an owner reference (for <see cref="OrphanReason.ConfigMapMissing"/>, the missing ConfigMap).</param>
/// <param name="Reason">Why it is an orphan.</param>
public sealed record OrphanExecutor(string Pod, string AppId, string? Owner, OrphanReason Reason);

/// <summary>
/// Finds executor pods whose driver is gone. Garbage collection normally removes executors with their
/// owner, but executors created without an owner (client mode without <c>spark.kubernetes.driver.pod.name</c>)
/// or while the garbage collector lags or is blocked by a finalizer stay behind and hold node resources.
/// </summary>
public static class SparkOrphans
{
    /// <summary>Finds orphans among every pod of a namespace.</summary>
    /// <param name="pods">All pods of the namespace (not only Spark pods: owners may be notebook pods).</param>
    /// <param name="notebookPodPrefix">Name prefix of notebook pods (<c>&lt;env&gt;-jupyter-</c>), to tell notebook sessions apart.</param>
    public static IReadOnlyList<OrphanExecutor> Find(IEnumerable<V1Pod> pods, string? notebookPodPrefix = null)
    {
        var all = pods.Where(p => p.Metadata.DeletionTimestamp is null).ToList();
        var uids = all.Select(p => p.Metadata.Uid).Where(u => u is not null).ToHashSet(StringComparer.Ordinal);
        var names = all.Select(p => p.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var appsWithDriver = all.Where(p => SparkApplicationStates.RoleOf(p) == SparkConventions.DriverRole)
            .Select(SparkApplicationStates.AppIdOf).Where(a => a is not null).ToHashSet(StringComparer.Ordinal);

        var orphans = new List<OrphanExecutor>();
        foreach (var pod in all.Where(p => SparkApplicationStates.RoleOf(p) == SparkConventions.ExecutorRole))
        {
            var appId = SparkApplicationStates.AppIdOf(pod) ?? "";
            var owner = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Kind == "Pod");
            if (owner is not null)
            {
                var alive = owner.Uid is { Length: > 0 } uid ? uids.Contains(uid) : names.Contains(owner.Name);
                if (alive) continue;
                var notebook = notebookPodPrefix is not null && owner.Name.StartsWith(notebookPodPrefix, StringComparison.Ordinal);
                orphans.Add(new OrphanExecutor(pod.Metadata.Name, appId, owner.Name, notebook ? OrphanReason.NotebookGone : OrphanReason.DriverGone));
            }
            else if (!appsWithDriver.Contains(appId))
            {
                orphans.Add(new OrphanExecutor(pod.Metadata.Name, appId, null, OrphanReason.NoDriver));
            }
        }
        return orphans.OrderBy(o => o.Pod, StringComparer.Ordinal).ToList();
    }
}
