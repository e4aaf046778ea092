using k8s;
using k8s.Models;
using Kindling.Cluster;
using Kindling.Operations.Spark;
using Kindling.Spark;

namespace Kindling.Operations;

/// <summary>One rendered object in the cluster.</summary>
/// <param name="Kind">Kubernetes kind.</param>
/// <param name="Name">Object name.</param>
/// <param name="Present">Whether it exists.</param>
/// <param name="Ready">Whether it is usable (Deployments rolled out, PVCs bound; other kinds when present).</param>
/// <param name="Detail">Human detail: <c>1/1 available</c>, <c>Bound</c>, <c>missing</c>.</param>
public sealed record ObjectStatus(string Kind, string Name, bool Present, bool Ready, string Detail);

/// <summary>A notebook pod.</summary>
/// <param name="Name">Pod name.</param>
/// <param name="Phase">Pod phase.</param>
/// <param name="Ready">Whether it passes its readiness probe.</param>
/// <param name="Detail">Waiting reason or condition, e.g. <c>Pending (ImagePullBackOff)</c>.</param>
public sealed record NotebookPodStatus(string Name, string Phase, bool Ready, string Detail);

/// <summary>A Spark pod (driver or executor).</summary>
/// <param name="Name">Pod name.</param>
/// <param name="Role">The <c>spark-role</c> label: driver or executor.</param>
/// <param name="Phase">Pod phase.</param>
public sealed record SparkPodStatus(string Name, string Role, string Phase);

/// <summary>The pods of one Spark application, grouped by the <c>spark-app-selector</c> label Spark puts on them.</summary>
/// <param name="AppId">The application id (<c>spark-...</c>).</param>
/// <param name="AppName">The <c>spark-app-name</c> label, when set.</param>
/// <param name="Pods">Driver first, then executors by name.</param>
public sealed record SparkApplicationStatus(string AppId, string? AppName, IReadOnlyList<SparkPodStatus> Pods)
{
    /// <summary>How its driver ended (<c>Failed, OOMKilled (exit 137)</c>), from the driver pod or, once that is gone, from Kindling's record; null while it runs.</summary>
    public string? DriverEnded { get; init; }

    /// <summary>True when no pod of it is left and it is shown from Kindling's record of how it ended.</summary>
    public bool PodsGone { get; init; }
}

/// <summary>The environment's health.</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="Cluster">The cluster asked.</param>
/// <param name="Ready">True when every object is present and ready and a notebook pod is Ready.</param>
/// <param name="Objects">Each rendered object.</param>
/// <param name="NotebookPods">The notebook Deployment's pods.</param>
/// <param name="SparkApplications">Spark pods in the namespace by application.</param>
public sealed record StatusResult(
    string Namespace, KubeTarget Cluster, bool Ready, IReadOnlyList<ObjectStatus> Objects,
    IReadOnlyList<NotebookPodStatus> NotebookPods, IReadOnlyList<SparkApplicationStatus> SparkApplications);

/// <summary><c>kindling status</c>: reads the environment's objects and pods; changes nothing.</summary>
public static class StatusOperation
{
    /// <param name="environment">The environment and its cluster.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    public static async Task<StatusResult> RunAsync(EnvironmentContext environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var ns = environment.Namespace;
        var connection = environment.Connection;

        var objects = new List<ObjectStatus>();
        // Names and the set of objects do not depend on the token, so status needs none (and creates none).
        foreach (var manifest in environment.Manifests().OrderBy(m => m.Phase))
        {
            var target = ObjectRef.Of(manifest.Object, ns);
            var kind = KindClients.For(target.Kind);
            var live = await connection.TryCallAsync($"read {target}", (k, ct) => kind.Read(k, target, ct), cancellationToken).ConfigureAwait(false);
            objects.Add(Describe(target, live));
        }

        var notebookPods = new List<NotebookPodStatus>();
        foreach (var deployment in ReadinessTargets.From(environment.Manifests(), ns).Deployments)
        {
            var pods = await connection.CallAsync($"list pods in {ns}",
                (k, ct) => k.CoreV1.ListNamespacedPodAsync(ns, labelSelector: PodConditions.Selector(deployment.Selector), cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            notebookPods.AddRange(pods.Items.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)
                .Select(p => new NotebookPodStatus(p.Metadata.Name, p.Status?.Phase ?? "Pending", PodConditions.IsReady(p), PodConditions.Summary(p))));
        }

        // An existence selector: every pod Spark created, in cluster or client mode, carries the app id label.
        var sparkPods = await connection.CallAsync($"list Spark pods in {ns}",
            (k, ct) => k.CoreV1.ListNamespacedPodAsync(ns, labelSelector: SparkConventions.AppIdLabel, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var applications = SparkApplicationStates.GroupByApp(sparkPods.Items)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SparkApplicationStatus(
                g.Key,
                g.Select(p => p.Metadata.Labels.TryGetValue(SparkConventions.AppNameLabel, out var n) ? n : null).FirstOrDefault(n => n is not null),
                g.Select(p => new SparkPodStatus(p.Metadata.Name, SparkApplicationStates.RoleOf(p) ?? "unknown", p.Status?.Phase ?? "Pending"))
                    .OrderBy(p => p.Role == SparkConventions.DriverRole ? 0 : 1).ThenBy(p => p.Name, StringComparer.Ordinal).ToList()))
            .ToList();
        // Read only (status changes nothing): apps and kill record how drivers ended, status shows it.
        var ended = SparkApplicationStates.FromPods(sparkPods.Items).Where(a => a.IsFinished && !a.ClientMode)
            .ToDictionary(a => a.AppId, a => SparkExitRecords.Describe(a.State.ToString(), a.Reason, a.ExitCode), StringComparer.Ordinal);
        var kept = await new SparkExitLedger(connection, ns, environment.Spec.Name).ReadAsync(cancellationToken).ConfigureAwait(false);
        applications = applications.Select(a => a with { DriverEnded = ended.GetValueOrDefault(a.AppId) })
            .Concat(kept.Values.Where(r => !applications.Any(a => a.AppId == r.AppId))
                .Select(r => new SparkApplicationStatus(r.AppId, r.Name, []) { DriverEnded = SparkExitRecords.Describe(r.State, r.Reason, r.ExitCode), PodsGone = true }))
            .OrderBy(a => a.AppId, StringComparer.Ordinal)
            .ToList();

        var ready = objects.All(o => o.Ready) && notebookPods.Any(p => p.Ready);
        return new StatusResult(ns, connection.Target, ready, objects, notebookPods, applications);
    }

    private static ObjectStatus Describe(ObjectRef target, IKubernetesObject<V1ObjectMeta>? live)
    {
        if (live is null) return new ObjectStatus(target.Kind, target.Name, false, false, "missing");
        if (live.Metadata.DeletionTimestamp is not null) return new ObjectStatus(target.Kind, target.Name, true, false, "terminating");
        return live switch
        {
            V1Deployment d => new ObjectStatus(target.Kind, target.Name, true, PodConditions.IsRolledOut(d), PodConditions.RolloutSummary(d)),
            V1PersistentVolumeClaim c => new ObjectStatus(target.Kind, target.Name, true, c.Status?.Phase == "Bound", c.Status?.Phase ?? "Pending"),
            V1Namespace n => new ObjectStatus(target.Kind, target.Name, true, n.Status?.Phase is null or "Active", n.Status?.Phase ?? "Active"),
            _ => new ObjectStatus(target.Kind, target.Name, true, true, "present"),
        };
    }
}
