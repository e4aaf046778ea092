using Kindling.Configuration;

namespace Kindling.Images;

/// <summary>
/// Decides the Spark and Jupyter image references. Per image, first match wins: an explicit image in the
/// config (<c>spark.image</c> / <c>notebook.image</c>), then <c>images.registry</c>, then the ECR repositories
/// Terraform reported, then a local name usable with a local cluster until <c>infra apply</c> has run.
/// </summary>
public static class ImageResolver
{
    /// <summary>Repository name of the Spark image under a registry.</summary>
    public const string SparkRepository = "spark";

    /// <summary>Repository name of the Jupyter image under a registry.</summary>
    public const string JupyterRepository = "jupyter";

    /// <summary>Registry prefix of the local default names.</summary>
    public const string LocalPrefix = "kindling";

    /// <summary>
    /// Resolves both images with the tag <c>kindling images build</c> gives them (<c>images.tag</c>, else the
    /// content-hash tag of <see cref="ImageBuildContext.Render"/>), so rendered manifests name the images it builds.
    /// </summary>
    public static ResolvedImages Resolve(EnvironmentSpec spec, LocalState state) =>
        Resolve(spec, state, ImageTag.Compute(spec, ImageBuildContext.Render(spec)));

    /// <summary>Resolves both images for <paramref name="tag"/>.</summary>
    public static ResolvedImages Resolve(EnvironmentSpec spec, LocalState state, string tag)
    {
        var (spark, sparkSource) = One(spec.Spark.Image, spec.Images.Registry, state.Terraform?.SparkRepositoryUrl, SparkRepository, tag);
        var (jupyter, jupyterSource) = One(spec.Notebook.Image, spec.Images.Registry, state.Terraform?.JupyterRepositoryUrl, JupyterRepository, tag);
        return new ResolvedImages(spark, jupyter, sparkSource, jupyterSource);
    }

    private static (string Reference, ImageSource Source) One(
        string? explicitImage, string? registry, string? terraformRepository, string repository, string tag)
    {
        if (!string.IsNullOrWhiteSpace(explicitImage)) return (explicitImage, ImageSource.Config);
        if (!string.IsNullOrWhiteSpace(registry)) return ($"{registry.TrimEnd('/')}/{repository}:{tag}", ImageSource.Registry);
        // Terraform's aws_ecr_repository.repository_url already ends in the repository name.
        if (!string.IsNullOrWhiteSpace(terraformRepository)) return ($"{terraformRepository}:{tag}", ImageSource.TerraformOutputs);
        return ($"{LocalPrefix}/{repository}:{tag}", ImageSource.LocalDefault);
    }
}
