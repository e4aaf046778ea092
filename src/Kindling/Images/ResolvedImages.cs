namespace Kindling.Images;

/// <summary>Where the image references came from; the render summary tells the user.</summary>
public enum ImageSource
{
    /// <summary>Set explicitly in kindling.yaml (<c>spark.image</c> / <c>notebook.image</c>).</summary>
    Config,

    /// <summary>Built from <c>images.registry</c> in kindling.yaml.</summary>
    Registry,

    /// <summary>Built from the ECR repository URLs that Terraform reported.</summary>
    TerraformOutputs,

    /// <summary>No registry known yet: local names, to be replaced after <c>infra apply</c>.</summary>
    LocalDefault,
}

/// <summary>The Spark and Jupyter image references every manifest uses.</summary>
/// <param name="Spark">Spark image (executors, cluster-mode drivers).</param>
/// <param name="Jupyter">Jupyter image (the notebook, a client-mode driver).</param>
/// <param name="SparkSource">Where <paramref name="Spark"/> came from.</param>
/// <param name="JupyterSource">Where <paramref name="Jupyter"/> came from.</param>
public sealed record ResolvedImages(string Spark, string Jupyter, ImageSource SparkSource, ImageSource JupyterSource);
