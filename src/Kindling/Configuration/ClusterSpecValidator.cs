using Kindling.Images;

namespace Kindling.Configuration;

/// <summary>Checks <c>cluster.kind</c> and what a laptop cluster cannot use.</summary>
internal static class ClusterSpecValidator
{
    public static void Validate(EnvironmentSpec spec, Action<string, string?> check)
    {
        var kind = spec.Cluster.Kind;
        if (!ClusterKinds.All.Contains(kind))
        {
            var closest = Suggest.Closest(kind, ClusterKinds.All);
            check("cluster.kind", $"'{kind}' is not a cluster kind Kindling knows; use one of {string.Join(", ", ClusterKinds.All)}" +
                                  (closest is null ? "" : $" (did you mean '{closest}'?)"));
            return;
        }
        if (ClusterKinds.IsLocal(kind) && LocalRegistryProblem(spec, kind) is { } problem) check("images.registry", problem);
    }

    /// <summary>
    /// Why the images of <paramref name="spec"/> cannot serve the laptop cluster <paramref name="kind"/>, or null.
    /// Images are loaded straight into a laptop cluster; an ECR registry would need AWS credentials on every node,
    /// which a laptop cluster does not have.
    /// </summary>
    public static string? LocalRegistryProblem(EnvironmentSpec spec, string kind) =>
        spec.Images.Registry is { } registry && RegistryHost.Of(registry + "/x:y") is { } host && RegistryHost.IsEcr(host)
            ? $"'{registry}' is an Amazon ECR registry, but cluster.kind is {kind}: a laptop cluster gets its images loaded " +
              "without a registry and its nodes have no ECR credentials; remove images.registry (or set cluster.kind: eks)"
            : null;
}
