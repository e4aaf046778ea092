using Kindling.Configuration;
using Kindling.Images;
using Kindling.Tools;

namespace Kindling.Operations;

/// <summary>Options of <c>kindling images build</c> and <c>kindling images push</c>.</summary>
public sealed record ImagesOptions
{
    /// <summary>The loaded kindling.yaml (or the built-in defaults).</summary>
    public required LoadedConfig Config { get; init; }

    /// <summary>The directory relative paths and the default state directory are resolved against.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>A tag that overrides <c>images.tag</c> and the content-hash tag (<c>--tag</c>).</summary>
    public string? Tag { get; init; }

    /// <summary>Where docker and aws are found and what environment they run with.</summary>
    public ToolEnvironment Environment { get; init; } = ToolEnvironment.Process;

    /// <summary>Receives a report per step.</summary>
    public IProgress<ProgressEvent>? Progress { get; init; }

    /// <summary>Clock for the elapsed times in progress reports.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Produces every file of both build contexts (the <c>images/</c> part of render). The files are written
    /// under <c>.kindling/images/</c> and hashed into the default tag.
    /// </summary>
    public Func<EnvironmentSpec, IReadOnlyList<RenderedFile>> RenderBuildContext { get; init; } = ImageBuildContext.Render;
}
