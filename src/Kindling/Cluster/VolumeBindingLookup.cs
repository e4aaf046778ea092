using k8s;
using k8s.Models;

namespace Kindling.Cluster;

/// <summary>
/// Tells whether a Pending PVC is simply waiting for its first consumer: with a StorageClass whose
/// <c>volumeBindingMode</c> is <c>WaitForFirstConsumer</c> the provisioner acts only once a pod using the claim
/// is scheduled, so Pending is the expected state until then. Reading StorageClasses needs a cluster-scoped
/// permission many users lack, so the PVC's <c>WaitForFirstConsumer</c> event is the fallback.
/// </summary>
internal sealed class VolumeBindingLookup(KubeConnection connection, string @namespace)
{
    private readonly Dictionary<string, bool> byClass = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> byEventVersion = new(StringComparer.Ordinal);

    public async Task<bool> WaitsForFirstConsumerAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        var className = claim.Spec?.StorageClassName ?? "";
        if (!byClass.TryGetValue(className, out var waits))
        {
            waits = await FromStorageClassAsync(claim.Spec?.StorageClassName, cancellationToken).ConfigureAwait(false);
            byClass[className] = waits;
        }
        if (waits) return true;

        // Look at events once per PVC version, not on every wake-up.
        var key = $"{claim.Metadata.Name}@{claim.Metadata.ResourceVersion}";
        if (!byEventVersion.TryGetValue(key, out var fromEvent))
        {
            var events = await EventsAsync(cancellationToken).ConfigureAwait(false);
            fromEvent = events?.Items.Any(e => e.InvolvedObject?.Kind == "PersistentVolumeClaim"
                                              && e.InvolvedObject.Name == claim.Metadata.Name
                                              && e.Reason == "WaitForFirstConsumer") == true;
            byEventVersion[key] = fromEvent;
        }
        return fromEvent;
    }

    private async Task<Corev1EventList?> EventsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await connection.TryCallAsync($"list events in {@namespace}",
                (k, ct) => k.CoreV1.ListNamespacedEventAsync(@namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException)
        {
            // Events only refine the answer; without access to them a Pending PVC just stays "not ready yet".
            return null;
        }
    }

    private async Task<bool> FromStorageClassAsync(string? name, CancellationToken cancellationToken)
    {
        try
        {
            V1StorageClass? storageClass;
            if (!string.IsNullOrEmpty(name))
            {
                storageClass = await connection.TryCallAsync($"read StorageClass {name}",
                    (k, ct) => k.StorageV1.ReadStorageClassAsync(name, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // No class named: the cluster's default class (annotated is-default-class) provisions the claim.
                var all = await connection.CallAsync("list StorageClasses",
                    (k, ct) => k.StorageV1.ListStorageClassAsync(cancellationToken: ct), cancellationToken).ConfigureAwait(false);
                storageClass = DefaultStorageClass.Of(all.Items);
            }
            return storageClass?.VolumeBindingMode == "WaitForFirstConsumer";
        }
        catch (KubernetesApiException)
        {
            return false;
        }
    }
}
