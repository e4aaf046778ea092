using k8s;
using k8s.Models;
using Kindling.Spark;

namespace Kindling.Operations.Verify;

/// <summary>
/// Stage 5: every pod of the run (by its <c>kindling.dev/verify-run</c> label) is deleted; the ConfigMaps and Services
/// of the submissions go with their driver pods (owner references); nothing of the run may remain.
/// </summary>
internal static class CleanupVerification
{
    public const string Name = "cleanup";

    public static async Task<IReadOnlyList<string>> RunAsync(VerifyRun run, CancellationToken cancellationToken)
    {
        var selector = $"{VerifyRun.RunLabel}={run.RunId}";
        var pods = await run.PodsAsync(selector, cancellationToken).ConfigureAwait(false);
        foreach (var pod in pods.Items.Where(p => p.Metadata.DeletionTimestamp is null))
        {
            // Background propagation: the garbage collector removes what the driver pod owns (ConfigMaps, Service, executors).
            await run.Connection.TryCallAsync($"delete Pod/{pod.Metadata.Name}",
                (k, ct) => k.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, run.Ns, new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
        }
        if (Directory.Exists(run.LocalDirectory)) Directory.Delete(run.LocalDirectory, recursive: true);

        IReadOnlyList<string> left = [];
        var clean = await run.WaitUntilAsync(async ct =>
        {
            left = await RemainingAsync(run, selector, ct).ConfigureAwait(false);
            return left.Count == 0;
        }, run.Options.CleanupTimeout, cancellationToken).ConfigureAwait(false);
        if (!clean)
            throw new VerifyStageFailedException($"{left.Count} objects of this run remain after {VerifyRun.Seconds(run.Options.CleanupTimeout)}: {string.Join(", ", left)}");
        var apps = run.Applications.Count;
        return [$"{pods.Items.Count} pods of {apps} applications deleted; no pod, ConfigMap or Service of the run remains"];
    }

    private static async Task<IReadOnlyList<string>> RemainingAsync(VerifyRun run, string selector, CancellationToken cancellationToken)
    {
        var left = new List<string>();
        left.AddRange((await run.PodsAsync(selector, cancellationToken).ConfigureAwait(false)).Items.Select(p => $"Pod/{p.Metadata.Name}"));
        List<string> appIds;
        lock (run.Applications) appIds = [.. run.Applications];
        foreach (var appId in appIds)
        {
            var pods = await run.PodsAsync($"{SparkConventions.AppIdLabel}={appId}", cancellationToken).ConfigureAwait(false);
            left.AddRange(pods.Items.Select(p => $"Pod/{p.Metadata.Name}").Where(p => !left.Contains(p)));
        }
        foreach (var submitted in run.Submitted.Values)
        {
            foreach (var owned in submitted.Submission.OwnedObjects())
            {
                var name = owned.Metadata.Name;
                var exists = owned switch
                {
                    V1ConfigMap => await run.Connection.TryCallAsync($"read ConfigMap/{name}",
                        (k, ct) => k.CoreV1.ReadNamespacedConfigMapAsync(name, run.Ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false) is not null,
                    V1Service => await run.Connection.TryCallAsync($"read Service/{name}",
                        (k, ct) => k.CoreV1.ReadNamespacedServiceAsync(name, run.Ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false) is not null,
                    _ => false,
                };
                if (exists) left.Add($"{(owned is V1Service ? "Service" : "ConfigMap")}/{name}");
            }
        }
        return left;
    }
}
