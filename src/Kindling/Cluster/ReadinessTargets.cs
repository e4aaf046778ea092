using k8s.Models;
using Kindling.Resources;

namespace Kindling.Cluster;

/// <summary>A Deployment to wait for, with the matchLabels that find its pods.</summary>
public sealed record DeploymentTarget(string Name, IReadOnlyDictionary<string, string> Selector);

/// <summary>What <c>up</c> waits for in one namespace.</summary>
/// <param name="Namespace">The environment's namespace.</param>
/// <param name="Deployments">Deployments that must roll out, with at least one Ready pod each.</param>
/// <param name="Claims">PVCs that must be Bound (or waiting for their first consumer).</param>
public sealed record ReadinessTargets(string Namespace, IReadOnlyList<DeploymentTarget> Deployments, IReadOnlyList<string> Claims)
{
    /// <summary>The Deployments and PVCs among rendered manifests.</summary>
    public static ReadinessTargets From(IReadOnlyList<Manifest> manifests, string @namespace) => new(
        @namespace,
        // Cluster components rendered into other namespaces (the Cluster Autoscaler in kube-system) are not what
        // the environment waits for.
        manifests.Select(m => m.Object).OfType<V1Deployment>()
            .Where(d => d.Metadata.NamespaceProperty is null || d.Metadata.NamespaceProperty == @namespace)
            .Select(d => new DeploymentTarget(d.Metadata.Name,
                new SortedDictionary<string, string>(d.Spec?.Selector?.MatchLabels ?? new Dictionary<string, string>(), StringComparer.Ordinal)))
            .ToList(),
        manifests.Select(m => m.Object).OfType<V1PersistentVolumeClaim>().Select(c => c.Metadata.Name).ToList());
}

/// <summary>How long to wait and when to give up early.</summary>
/// <param name="Timeout">The whole wait.</param>
/// <param name="FailFastGrace">
/// How long a pod may sit in a state that waiting will not fix (ImagePullBackOff, CrashLoopBackOff ...) before
/// the wait fails without using up the timeout; a short grace lets a state that is already recovering pass.
/// </param>
public sealed record ReadinessOptions(TimeSpan Timeout, TimeSpan FailFastGrace);
