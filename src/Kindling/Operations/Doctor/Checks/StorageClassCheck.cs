using k8s;
using k8s.Models;

namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// The notebooks' PVC gets a StorageClass that exists, and whose provisioner runs. A PVC without a class and a
/// cluster without a default class stays Pending forever (EKS clusters created on 1.30+ have none).
/// </summary>
internal sealed class StorageClassCheck : IDoctorCheck
{
    /// <summary>The annotation that marks the cluster default (Kubernetes docs, "Change the default StorageClass").</summary>
    public const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";

    private const string BetaDefaultClassAnnotation = "storageclass.beta.kubernetes.io/is-default-class";

    public string Name => "storage-class";

    public bool Preflight => true;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var claimName = context.Names.NotebooksClaim;
        var live = await context.Connection.TryCallAsync($"read PersistentVolumeClaim {context.Namespace}/{claimName}",
            (k, ct) => k.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claimName, context.Namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        if (live?.Status?.Phase == "Bound")
            return [CheckResult.Ok(Name, $"the notebooks' PVC {claimName} is Bound (class {live.Spec.StorageClassName ?? "none"})")];

        var wanted = context.Rendered<V1PersistentVolumeClaim>()?.Spec.StorageClassName;
        var rendered = context.Inputs.Manifests.Select(m => m.Object).OfType<V1StorageClass>().FirstOrDefault(c => c.Metadata.Name == wanted);
        V1StorageClass chosen;
        string how;
        if (rendered is not null)
        {
            chosen = rendered;
            how = $"StorageClass {wanted} (rendered by Kindling, applied by up)";
        }
        else if (wanted is not null)
        {
            var existing = await context.Connection.TryCallAsync($"read StorageClass {wanted}",
                (k, ct) => k.StorageV1.ReadStorageClassAsync(wanted, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                var names = await ClassNamesAsync(context, cancellationToken).ConfigureAwait(false);
                return [CheckResult.Fail(Name, $"notebook.storageClass is {wanted}, but the cluster has no StorageClass of that name (it has: {names})",
                    "set notebook.storageClass in kindling.yaml to one of the cluster's classes, or create it")];
            }
            chosen = existing;
            how = $"StorageClass {wanted} (notebook.storageClass)";
        }
        else
        {
            var classes = (await context.Connection.CallAsync("list StorageClasses",
                (k, ct) => k.StorageV1.ListStorageClassAsync(cancellationToken: ct), cancellationToken).ConfigureAwait(false)).Items;
            var defaults = classes.Where(IsDefault).OrderByDescending(c => c.Metadata.CreationTimestamp).ToList();
            var kind = context.Inputs.Cluster.Kind;
            if (defaults.Count == 0 && LocalStorageClasses.Restore(kind) is { } restore)
            {
                var names = classes.Count == 0 ? "none" : string.Join(", ", classes.Select(c => c.Metadata.Name));
                return [CheckResult.Fail(Name,
                    $"notebook.storageClass is not set and this {kind} cluster has no default StorageClass (classes: {names}; {kind} normally has '{LocalStorageClasses.Expected(kind)}'); the notebooks' PVC would stay Pending",
                    $"{restore}; or set notebook.storageClass in kindling.yaml to a class that provisions")];
            }
            if (defaults.Count == 0)
            {
                var names = classes.Count == 0 ? "none" : string.Join(", ", classes.Select(c => c.Metadata.Name));
                return [CheckResult.Fail(Name,
                    $"notebook.storageClass is not set and the cluster has no default StorageClass (classes: {names}); the notebooks' PVC would stay Pending",
                    classes.Count == 0
                        ? "install a storage provisioner and its StorageClass (on EKS: the aws-ebs-csi-driver add-on), then set notebook.storageClass"
                        : $"set notebook.storageClass: {classes[0].Metadata.Name} in kindling.yaml, or make a class the default: kubectl annotate storageclass {classes[0].Metadata.Name} {DefaultClassAnnotation}=true")];
            }
            chosen = defaults[0];
            // Since Kubernetes 1.26 the newest default wins when several are marked (DefaultStorageClass admission).
            how = defaults.Count == 1
                ? $"default StorageClass {chosen.Metadata.Name}"
                : $"default StorageClass {chosen.Metadata.Name} (the newest of {defaults.Count} marked default: {string.Join(", ", defaults.Select(d => d.Metadata.Name))})";
            if (LocalStorageClasses.Expected(kind) is { } expected)
                how += chosen.Metadata.Name == expected ? $" ({kind}'s own)" : $" (not {kind}'s own '{expected}')";
        }

        var provisioner = await ProvisionerPods.CheckAsync(context, chosen.Provisioner, cancellationToken).ConfigureAwait(false);
        var found = $"{how}, provisioner {chosen.Provisioner}: {provisioner.Found}";
        return [new CheckResult(Name, provisioner.Status, found, provisioner.Fix)];
    }

    private static bool IsDefault(V1StorageClass c) =>
        c.Metadata.Annotations is { } a &&
        ((a.TryGetValue(DefaultClassAnnotation, out var v) && v == "true") || (a.TryGetValue(BetaDefaultClassAnnotation, out var b) && b == "true"));

    private static async Task<string> ClassNamesAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var classes = (await context.Connection.CallAsync("list StorageClasses",
            (k, ct) => k.StorageV1.ListStorageClassAsync(cancellationToken: ct), cancellationToken).ConfigureAwait(false)).Items;
        return classes.Count == 0 ? "none" : string.Join(", ", classes.Select(c => c.Metadata.Name));
    }
}
