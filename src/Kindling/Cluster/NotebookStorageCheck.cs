using k8s;
using k8s.Models;
using Kindling.Operations;
using Kindling.Resources;

namespace Kindling.Cluster;

/// <summary>
/// Before <c>up</c> applies anything: will the notebooks' PVC get a volume? A claim whose class does not exist, or
/// that names none on a cluster without a default class (every EKS cluster created on 1.30 or later), stays Pending
/// forever and <c>up</c> would only time out. Also refuses to take over a StorageClass of the same name that this
/// environment did not create: server-side apply with force would silently rewrite it.
/// </summary>
internal sealed class NotebookStorageCheck(KubeConnection connection)
{
    public async Task EnsureAsync(IReadOnlyList<Manifest> manifests, string environment, string @namespace,
        IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        var claim = manifests.Select(m => m.Object).OfType<V1PersistentVolumeClaim>().FirstOrDefault();
        if (claim is null) return;
        const string step = "storage";

        if (manifests.Select(m => m.Object).OfType<V1StorageClass>().FirstOrDefault() is { } rendered)
        {
            var target = new ObjectRef("StorageClass", "", rendered.Metadata.Name);
            var existing = await connection.TryCallAsync($"read {target}", (k, ct) => KindClients.StorageClass.Read(k, target, ct), cancellationToken)
                .ConfigureAwait(false);
            if (existing is not null && !ClusterScopedOwnership.IsOwnedBy(existing, environment, @namespace))
                throw new KindlingException(
                    $"StorageClass {rendered.Metadata.Name} already exists on {connection.Target} and was not created by environment " +
                    $"'{environment}' in namespace {@namespace}; Kindling never changes a class it did not create, and nothing was changed. " +
                    $"Set notebook.storageClass: {rendered.Metadata.Name} in kindling.yaml to use it as it is, or choose another class.");
            progress.Report(new ProgressEvent(step, ProgressStatus.Done, $"notebooks' PVC uses StorageClass {rendered.Metadata.Name} (gp3, EBS CSI)"));
            return;
        }

        // An existing claim keeps the class it was given (spec.storageClassName is immutable once set).
        var claimRef = new ObjectRef("PersistentVolumeClaim", @namespace, claim.Metadata.Name);
        var current = await connection.TryCallAsync($"read {claimRef}", (k, ct) => KindClients.PersistentVolumeClaim.Read(k, claimRef, ct), cancellationToken)
            .ConfigureAwait(false) as V1PersistentVolumeClaim;
        if (current?.Spec?.StorageClassName is { Length: > 0 } assigned && current.Status?.Phase == "Bound")
        {
            progress.Report(new ProgressEvent(step, ProgressStatus.Done, $"notebooks' PVC is bound (StorageClass {assigned})"));
            return;
        }

        V1StorageClassList classes;
        try
        {
            classes = await connection.CallAsync("list StorageClasses", (k, ct) => k.StorageV1.ListStorageClassAsync(cancellationToken: ct), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode == 403)
        {
            progress.Report(new ProgressEvent(step, ProgressStatus.Info,
                "not allowed to list StorageClasses (cluster-scoped): could not check that the notebooks' PVC will get a volume"));
            return;
        }

        var named = current?.Spec?.StorageClassName is { Length: > 0 } existingClass ? existingClass : claim.Spec?.StorageClassName;
        if (named is not null)
        {
            if (classes.Items.Any(c => c.Metadata.Name == named))
            {
                progress.Report(new ProgressEvent(step, ProgressStatus.Done, $"notebooks' PVC uses StorageClass {named}"));
                return;
            }
            throw new KindlingException(
                $"StorageClass '{named}' (notebook.storageClass) does not exist on {connection.Target}, so the notebooks' PVC would stay Pending; " +
                $"nothing was changed.{Environment.NewLine}{Choices(classes.Items)}");
        }

        if (DefaultStorageClass.Of(classes.Items) is { } defaultClass)
        {
            progress.Report(new ProgressEvent(step, ProgressStatus.Done, $"notebooks' PVC gets the default StorageClass {defaultClass.Metadata.Name}"));
            return;
        }
        throw new KindlingException(
            $"{connection.Target} has no default StorageClass, so the notebooks' PVC (notebook.storageClass is not set) would stay Pending " +
            $"forever; nothing was changed.{Environment.NewLine}{Choices(classes.Items)}");
    }

    private static string Choices(IList<V1StorageClass> classes) =>
        classes.Count == 0
            ? "The cluster has no StorageClass at all: install a storage provisioner (on EKS, the aws-ebs-csi-driver add-on) and create a class, " +
              "then set notebook.storageClass to it in kindling.yaml."
            : "Set notebook.storageClass in kindling.yaml to one of: " +
              string.Join(", ", classes.OrderBy(c => c.Metadata.Name, StringComparer.Ordinal).Select(c => $"{c.Metadata.Name} ({c.Provisioner})")) +
              $"; or make one the cluster default: kubectl annotate storageclass <name> {DefaultStorageClass.Annotation}=true";
}
