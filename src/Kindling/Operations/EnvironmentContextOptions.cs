using Kindling.Cluster;
using Kindling.Configuration;
using Kindling.Images;
using Kindling.Spark;
using Kindling.Tools;

namespace Kindling.Operations;

/// <summary>What an <see cref="EnvironmentContext"/> is made from: the caller's flags and surroundings.</summary>
public sealed record EnvironmentContextOptions
{
    /// <summary>The loaded kindling.yaml (or the built-in defaults).</summary>
    public required LoadedConfig Config { get; init; }

    /// <summary>The directory relative paths and, without a config file, <c>.kindling/</c> are resolved against.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>
    /// The namespace to use instead of <c>kindling.yaml</c>'s (<c>-n/--namespace</c>); null keeps the config's.
    /// </summary>
    public string? Namespace { get; init; }

    /// <summary>
    /// How to reach the cluster (<c>--kubeconfig</c>, <c>--context</c>, <c>KUBECONFIG</c>); null for a command that
    /// works on local files only.
    /// </summary>
    public KubeConnectionOptions? Connection { get; init; }

    /// <summary>Where external tools (terraform, docker, aws) are found and what environment they run with.</summary>
    public ToolEnvironment Tools { get; init; } = ToolEnvironment.Process;

    /// <summary>Receives every operation's progress; never secrets.</summary>
    public IProgress<ProgressEvent>? Progress { get; init; }

    /// <summary>Clock for timeouts and elapsed times.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary><c>SPARK_USER</c> of submissions.</summary>
    public string SparkUser { get; init; } = Environment.UserName;

    /// <summary>Random and time source of Spark application ids.</summary>
    public SparkIdGenerator Ids { get; init; } = SparkIdGenerator.System;

    /// <summary>
    /// Produces every file of both image build contexts (the <c>images/</c> part of render). They are hashed into
    /// the default image tag and written by <c>images build</c>.
    /// </summary>
    public Func<EnvironmentSpec, IReadOnlyList<RenderedFile>> RenderBuildContext { get; init; } = ImageBuildContext.Render;
}
