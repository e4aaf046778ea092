using Kindling.Configuration;
using Kindling.Images;

namespace Kindling.Tests.Images;

public sealed class ImageResolverTests
{
    private const string Tag = "3.5.5-0123456789ab";

    private static readonly TerraformOutputs Outputs = new()
    {
        SparkRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark",
        JupyterRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jupyter",
        ClusterName = "kindling",
        ClusterEndpoint = "https://eks.example",
        ClusterCertificateAuthority = "Y2E=",
    };

    public static TheoryData<string?, string?, string?, bool, string, string, ImageSource, ImageSource> Precedence => new()
    {
        // spark.image, notebook.image, images.registry, terraform outputs -> spark, jupyter, sources
        { "my/spark:1", "my/jupyter:1", "reg.example/team", true, "my/spark:1", "my/jupyter:1", ImageSource.Config, ImageSource.Config },
        { "my/spark:1", null, "reg.example/team", true, "my/spark:1", $"reg.example/team/jupyter:{Tag}", ImageSource.Config, ImageSource.Registry },
        { null, "my/jupyter:1", null, true, $"{Outputs.SparkRepositoryUrl}:{Tag}", "my/jupyter:1", ImageSource.TerraformOutputs, ImageSource.Config },
        { null, null, "reg.example/team/", true, $"reg.example/team/spark:{Tag}", $"reg.example/team/jupyter:{Tag}", ImageSource.Registry, ImageSource.Registry },
        { null, null, null, true, $"{Outputs.SparkRepositoryUrl}:{Tag}", $"{Outputs.JupyterRepositoryUrl}:{Tag}", ImageSource.TerraformOutputs, ImageSource.TerraformOutputs },
        { null, null, null, false, $"kindling/spark:{Tag}", $"kindling/jupyter:{Tag}", ImageSource.LocalDefault, ImageSource.LocalDefault },
        { "my/spark:1", null, null, false, "my/spark:1", $"kindling/jupyter:{Tag}", ImageSource.Config, ImageSource.LocalDefault },
        { "  ", null, "", false, $"kindling/spark:{Tag}", $"kindling/jupyter:{Tag}", ImageSource.LocalDefault, ImageSource.LocalDefault },
    };

    [Theory]
    [MemberData(nameof(Precedence))]
    public void Config_image_beats_config_registry_beats_terraform_outputs_beats_local_default(
        string? sparkImage, string? notebookImage, string? registry, bool applied,
        string expectedSpark, string expectedJupyter, ImageSource sparkSource, ImageSource jupyterSource)
    {
        var spec = new EnvironmentSpec
        {
            Spark = new SparkSpec { Image = sparkImage },
            Notebook = new NotebookSpec { Image = notebookImage },
            Images = new ImagesSpec { Registry = registry },
        };
        var state = new LocalState { Terraform = applied ? Outputs : null };

        var images = ImageResolver.Resolve(spec, state, Tag);

        images.Should().Be(new ResolvedImages(expectedSpark, expectedJupyter, sparkSource, jupyterSource));
    }
}
