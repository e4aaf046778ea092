using Kindling.Configuration;
using Kindling.Images;

namespace Kindling.Operations;

/// <summary>
/// What build and push share, decided before anything runs: the build context, its hash, the tag and the
/// resolved references. Creating it has no side effects, so bad input fails with nothing changed.
/// </summary>
internal sealed record ImagesPlan(
    EnvironmentSpec Spec,
    LocalStateStore StateStore,
    IReadOnlyList<RenderedFile> ContextFiles,
    string ContentHash,
    string Tag,
    ResolvedImages Images)
{
    public string ContextDirectory => Path.Combine(StateStore.Directory, DockerfileSet.Root);

    public static ImagesPlan Create(EnvironmentContext environment, ImagesOptions options)
    {
        var spec = environment.Spec;
        var files = environment.BuildContext;
        // Found here rather than as a COPY failure halfway through a docker build.
        if (!files.Any(f => f.RelativePath == DockerfileSet.NotebookStartupFile))
            throw new KindlingException($"the Jupyter build context has no {DockerfileSet.NotebookStartupFile}, which its Dockerfile copies");
        var (tag, images) = options.Tag is { } given
            ? (ImageTag.Validate(given, "--tag"), environment.ImagesTagged(given))
            : (environment.ImageTag, environment.Images);
        return new ImagesPlan(spec, environment.StateStore, files, ImageTag.ContentHash(files), tag, images);
    }

    /// <summary>Replaces <c>.kindling/images/</c> with exactly the context files, so the hash describes what docker sees.</summary>
    public void WriteContext()
    {
        if (Directory.Exists(ContextDirectory)) Directory.Delete(ContextDirectory, recursive: true);
        foreach (var file in ContextFiles)
        {
            var path = Path.Combine(StateStore.Directory, file.RelativePath.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Content);
        }
    }

    public string SparkContextDirectory => Path.Combine(ContextDirectory, "spark");

    public string JupyterContextDirectory => Path.Combine(ContextDirectory, "jupyter");

    public IReadOnlyList<ImageOutcome> Given() =>
    [
        new(ImageResolver.SparkRepository, Images.Spark, Images.SparkSource, ImageAction.Given, Pushed: false),
        new(ImageResolver.JupyterRepository, Images.Jupyter, Images.JupyterSource, ImageAction.Given, Pushed: false),
    ];
}
