using k8s;
using Kindling.Cluster;

namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// The SelfSubjectAccessReview set <c>up</c> needs (and, for <c>doctor</c>, also <c>submit</c>'s), from the one list
/// in <see cref="PermissionCheck"/>.
/// </summary>
internal sealed class PermissionsCheck : IDoctorCheck
{
    public string Name => "permissions";

    public bool Preflight => true;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        // Creating the namespace needs a cluster-wide right only when it does not exist yet (up never writes an existing one).
        var namespaceState = await (context.Inputs.NamespaceState
            ?? new NamespaceOwnership(context.Connection, context.Inputs.Spec.Name, context.Namespace).InspectAsync(cancellationToken)).ConfigureAwait(false);
        var needed = PermissionCheck.ForUp(context.Inputs.Manifests.Select(m => m.Object.Kind), context.Namespace, namespaceState).ToList();
        // Objects outside the environment's namespace (the Cluster Autoscaler in kube-system) need rights there too.
        needed.AddRange(PermissionCheck.ForObjectsOutside(context.Inputs.Manifests.Select(m => ObjectRef.Of(m.Object, context.Namespace)), context.Namespace)
            .Except(needed));
        if (!context.ForUp) needed.AddRange(PermissionCheck.ForSubmit(context.Namespace).Except(needed));
        var missing = await new PermissionCheck(context.Connection).MissingAsync(needed, cancellationToken).ConfigureAwait(false);
        var scope = context.ForUp ? "up" : "up and submit";
        if (missing.Count == 0)
            return [CheckResult.Ok(Name, $"all {needed.Count} permissions that {scope} need are granted in {context.Namespace}")];
        return
        [
            CheckResult.Fail(Name,
                $"{missing.Count} of the {needed.Count} permissions {scope} need are missing: {string.Join("; ", missing)}",
                "ask a cluster admin to grant them (a Role and RoleBinding in the namespace; a ClusterRole for cluster-wide ones), then run kindling doctor again"),
        ];
    }
}
