using Kindling.Configuration;
using Kindling.Images;

namespace Kindling.Operations;

/// <summary>Options of <see cref="RenderOperation"/>.</summary>
/// <param name="OutputDirectory">Where the files go (absolute or relative to the working directory).</param>
public sealed record RenderOptions(string OutputDirectory);

/// <summary>Executor sizing, as the summary shows it.</summary>
/// <param name="Instances">Initial executors.</param>
/// <param name="Cores">Cores each.</param>
/// <param name="Memory">JVM memory each.</param>
/// <param name="DynamicAllocation">Whether dynamic allocation is on.</param>
/// <param name="MinExecutors">Dynamic allocation minimum.</param>
/// <param name="MaxExecutors">Dynamic allocation maximum.</param>
public sealed record ExecutorSizing(int Instances, int Cores, string Memory, bool DynamicAllocation, int MinExecutors, int MaxExecutors);

/// <summary>What <see cref="RenderOperation"/> wrote.</summary>
/// <param name="OutputDirectory">Absolute output directory.</param>
/// <param name="ConfigSource">The config file used; null for built-in defaults.</param>
/// <param name="Files">Each file and what happened to it.</param>
/// <param name="Images">Image references and their sources.</param>
/// <param name="ImageTag">The image tag.</param>
/// <param name="Namespace">The Kubernetes namespace.</param>
/// <param name="Executors">Executor sizing.</param>
public sealed record RenderResult(
    string OutputDirectory,
    string? ConfigSource,
    IReadOnlyList<WrittenFile> Files,
    ResolvedImages Images,
    string ImageTag,
    string Namespace,
    ExecutorSizing Executors)
{
    /// <summary>Where event and driver logs go, or why history is off and how to turn it on.</summary>
    public string History { get; init; } = "";
}

/// <summary><c>kindling render</c>: writes the complete environment to disk without touching any cluster or cloud.</summary>
public static class RenderOperation
{
    /// <summary>Renders everything and writes it. Bad input throws before anything is written.</summary>
    public static async Task<RenderResult> RunAsync(EnvironmentContext environment, RenderOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        var token = JupyterToken.Ensure(environment.StateStore);
        environment.StateChanged();
        var rendered = environment.Render(token);
        var outputDirectory = environment.ResolvePath(options.OutputDirectory);
        var written = await RenderedOutputWriter.WriteAsync(outputDirectory, rendered.Files, cancellationToken);
        var spec = environment.Spec;
        var spark = spec.Spark;
        return new RenderResult(
            outputDirectory,
            environment.Config.SourcePath,
            written,
            rendered.Images,
            rendered.ImageTag,
            spec.Namespace,
            new ExecutorSizing(spark.Executors.Instances, spark.Executors.Cores, spark.Executors.Memory,
                spark.DynamicAllocation.Enabled, spark.DynamicAllocation.MinExecutors, spark.DynamicAllocation.MaxExecutors))
        {
            History = HistoryStorage.Describe(spec),
        };
    }
}
