using Kindling.Cluster;
using Kindling.Configuration;
using Kindling.Images;
using Kindling.Resources;

namespace Kindling.Operations;

/// <summary>What the cluster operations share: where the cluster is and how the environment is rendered.</summary>
public sealed record ClusterOptions
{
    /// <summary>The loaded kindling.yaml (or the built-in defaults).</summary>
    public required LoadedConfig Config { get; init; }

    /// <summary>The directory the default state directory is resolved against.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>How to reach the cluster (<c>--kubeconfig</c>, <c>--context</c>, <c>KUBECONFIG</c>).</summary>
    public required KubeConnectionOptions Connection { get; init; }

    /// <summary>
    /// Resolves image references. The default is <see cref="ImageResolver"/> with the content-hash tag, the same
    /// references <c>images build</c> and <c>render</c> use.
    /// </summary>
    public Func<EnvironmentSpec, LocalState, ResolvedImages> ResolveImages { get; init; } = ImageResolver.Resolve;

    /// <summary>Clock for timeouts and elapsed times.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>The environment as rendered for the cluster: the spec, the objects and their names.</summary>
internal sealed record ClusterEnvironment(EnvironmentSpec Spec, IReadOnlyList<Manifest> Manifests)
{
    public ResourceNames Names { get; } = new(Spec.Name);

    public string Namespace => Spec.Namespace;

    /// <summary>
    /// Renders the environment. <paramref name="token"/> is only the Secret's content; object names and the
    /// set of objects do not depend on it, so read-only commands may render without one. <paramref name="apiServer"/>
    /// is the connection's API server, when one is open: it decides, with local state, whether the environment runs
    /// on Kindling's EKS (<see cref="KindlingEks.RunsOn"/>).
    /// </summary>
    public static ClusterEnvironment Render(ClusterOptions options, string token, string? apiServer = null)
    {
        var spec = options.Config.Spec;
        var state = LocalStateStore.For(options.Config.SourcePath, options.WorkingDirectory).Load();
        var images = options.ResolveImages(spec, state);
        return new ClusterEnvironment(spec, EnvironmentManifests.Build(new ManifestInputs(spec, images, token) { SparkRoleArn = state.Terraform?.SparkRoleArn, HistoryRoleArn = state.Terraform?.HistoryRoleArn, OnKindlingEks = KindlingEks.RunsOn(spec, state, apiServer) }));
    }

    /// <summary>The store holding the token.</summary>
    public static LocalStateStore Store(ClusterOptions options) => LocalStateStore.For(options.Config.SourcePath, options.WorkingDirectory);

    /// <summary>Every rendered object's reference.</summary>
    public IReadOnlySet<ObjectRef> Refs() => Manifests.Select(m => ObjectRef.Of(m.Object, Namespace)).ToHashSet();
}
