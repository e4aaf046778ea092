using Kindling.Images;

namespace Kindling.Operations;

/// <summary>What happened to one image.</summary>
public enum ImageAction
{
    /// <summary>Built now.</summary>
    Built,

    /// <summary>An image built from the same build context already exists locally; not rebuilt.</summary>
    Unchanged,

    /// <summary><c>images.build</c> is false: the image is used as given.</summary>
    Given,
}

/// <summary>One image's outcome.</summary>
/// <param name="Name"><c>spark</c> or <c>jupyter</c>.</param>
/// <param name="Reference">The full image reference.</param>
/// <param name="Source">Where the reference came from.</param>
/// <param name="Action">Built, unchanged or given.</param>
/// <param name="Pushed">Whether it was pushed to its registry.</param>
public sealed record ImageOutcome(string Name, string Reference, ImageSource Source, ImageAction Action, bool Pushed);

/// <summary>The result of <c>kindling images build</c> or <c>push</c>.</summary>
/// <param name="Tag">The tag both images got.</param>
/// <param name="Build">Whether Kindling builds the images (<c>images.build</c>).</param>
/// <param name="ContextDirectory">Where the build contexts were written; null when nothing was built.</param>
/// <param name="Images">Spark first, then Jupyter.</param>
/// <param name="RegistryLogins">Registries logged in to (ECR), in order.</param>
public sealed record ImagesResult(
    string Tag,
    bool Build,
    string? ContextDirectory,
    IReadOnlyList<ImageOutcome> Images,
    IReadOnlyList<string> RegistryLogins);
