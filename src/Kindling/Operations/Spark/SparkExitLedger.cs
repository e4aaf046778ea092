using k8s;
using System.Text.Json.Nodes;
using k8s.Models;
using Kindling.Cluster;
using Kindling.Resources;
using Kindling.Spark;

namespace Kindling.Operations.Spark;

/// <summary>
/// Reads and writes the environment's <see cref="SparkExitRecordsConfigMap"/>. Recording is best effort: an identity
/// that may not write ConfigMaps, or an environment whose notebooks' PVC is not there yet, records nothing and the
/// command goes on (the pod still holds the verdict until someone deletes it).
/// </summary>
internal sealed class SparkExitLedger(KubeConnection connection, string @namespace, string environment)
{
    private readonly ResourceNames names = new(environment);

    /// <summary>The records, by app id; none when the ConfigMap does not exist or cannot be read.</summary>
    public async Task<IReadOnlyDictionary<string, SparkExitRecord>> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var map = await connection.TryCallAsync($"read ConfigMap/{names.SparkExitRecords}",
                (k, ct) => k.CoreV1.ReadNamespacedConfigMapAsync(names.SparkExitRecords, @namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            return SparkExitRecords.Parse(map?.Data);
        }
        catch (KubernetesApiException e) when (e.StatusCode == 403)
        {
            return new Dictionary<string, SparkExitRecord>();
        }
    }

    /// <summary>
    /// Adds the records not already kept, dropping the oldest beyond <see cref="SparkExitRecords.Limit"/>, in one
    /// JSON merge patch of <c>data</c> (other keys untouched, so two writers recording different apps both land).
    /// </summary>
    public async Task RecordAsync(IEnumerable<SparkExitRecord> records, IReadOnlyDictionary<string, SparkExitRecord> existing, CancellationToken cancellationToken)
    {
        // A record already kept is never rewritten: the first verdict seen (before any deletion) is the true one.
        var fresh = records.Where(r => !existing.ContainsKey(r.AppId)).GroupBy(r => r.AppId).Select(g => g.First()).ToList();
        if (fresh.Count == 0) return;
        try
        {
            if (!await EnsureExistsAsync(cancellationToken).ConfigureAwait(false)) return;
            var data = new JsonObject();
            foreach (var key in SparkExitRecords.Evictions(existing, fresh.Count)) data[key] = null;
            foreach (var record in fresh) data[record.AppId] = SparkExitRecords.Serialize(record);
            var patch = new V1Patch(new JsonObject { ["data"] = data }.ToJsonString(), V1Patch.PatchType.MergePatch);
            await connection.CallAsync($"record how {string.Join(", ", fresh.Select(r => r.AppId))} ended",
                (k, ct) => k.CoreV1.PatchNamespacedConfigMapAsync(patch, names.SparkExitRecords, @namespace, fieldManager: KindlingLabels.FieldManager, cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode is 403 or 404 or 409 or 422)
        {
            // Best effort, as documented: not allowed, PVC or namespace gone, or a racing writer; the pod still holds it.
        }
    }

    private async Task<bool> EnsureExistsAsync(CancellationToken cancellationToken)
    {
        var map = await connection.TryCallAsync($"read ConfigMap/{names.SparkExitRecords}",
            (k, ct) => k.CoreV1.ReadNamespacedConfigMapAsync(names.SparkExitRecords, @namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        if (map is not null) return true;
        var claim = await connection.TryCallAsync($"read PersistentVolumeClaim/{names.NotebooksClaim}",
            (k, ct) => k.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(names.NotebooksClaim, @namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        // Without the PVC there is nothing to tie the records' life to; an environment without 'up' keeps none.
        if (claim is null || claim.Metadata.DeletionTimestamp is not null) return false;
        try
        {
            await connection.CallAsync($"create ConfigMap/{names.SparkExitRecords}",
                (k, ct) => k.CoreV1.CreateNamespacedConfigMapAsync(SparkExitRecordsConfigMap.Build(environment, @namespace, claim), @namespace,
                    fieldManager: KindlingLabels.FieldManager, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode == 409)
        {
            // Created by a concurrent command in between: patch that one.
        }
        return true;
    }
}
