using k8s.Models;
using Kindling.Operations;
using Kindling.Resources;

namespace Kindling.Cluster;

/// <summary>
/// Before <c>up</c> applies anything: the StorageClass Kindling renders on its EKS must not take over a class of the
/// same name that this environment did not create (server-side apply with force would silently rewrite it, and a
/// StorageClass's parameters are immutable). Whether the PVC gets a usable class at all (a default class, or
/// <c>notebook.storageClass</c> existing) is doctor's storage-class check, which <c>up</c> runs first.
/// </summary>
internal sealed class NotebookStorageCheck(KubeConnection connection)
{
    public async Task EnsureAsync(IReadOnlyList<Manifest> manifests, string environment, string @namespace,
        IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        if (manifests.Select(m => m.Object).OfType<V1StorageClass>().FirstOrDefault() is not { } rendered) return;
        var target = new ObjectRef("StorageClass", "", rendered.Metadata.Name);
        var existing = await connection.TryCallAsync($"read {target}", (k, ct) => KindClients.StorageClass.Read(k, target, ct), cancellationToken)
            .ConfigureAwait(false);
        if (existing is not null && !ClusterScopedOwnership.IsOwnedBy(existing, environment, @namespace))
            throw new KindlingException(
                $"StorageClass {rendered.Metadata.Name} already exists on {connection.Target} and was not created by environment " +
                $"'{environment}' in namespace {@namespace}; Kindling never changes a class it did not create, and nothing was changed. " +
                $"Set notebook.storageClass: {rendered.Metadata.Name} in kindling.yaml to use it as it is, or choose another class.");
        progress.Report(new ProgressEvent("storage", ProgressStatus.Done, $"notebooks' PVC uses StorageClass {rendered.Metadata.Name} (gp3, EBS CSI)"));
    }
}
