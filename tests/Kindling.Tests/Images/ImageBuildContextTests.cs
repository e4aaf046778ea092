using Kindling.Configuration;
using Kindling.Images;
using Kindling.Spark.Notebook;

namespace Kindling.Tests.Images;

public sealed class ImageBuildContextTests
{
    [Fact]
    public void The_context_is_the_dockerfiles_and_the_start_up_file_the_jupyter_dockerfile_copies()
    {
        var files = ImageBuildContext.Render(new EnvironmentSpec());

        files.Select(f => f.RelativePath).Should().Equal(
            "images/build-args.env", "images/jupyter/00-kindling-spark.py", "images/jupyter/Dockerfile", "images/spark/Dockerfile",
            "images/spark/packages.txt", "images/spark/requirements.txt");
        files.Single(f => f.RelativePath == DockerfileSet.NotebookStartupFile).Content.Should().Be(NotebookFiles.StartupScript);
    }

    [Fact]
    public void Selecting_from_a_whole_render_keeps_only_the_images_folder()
    {
        RenderedFile[] rendered =
        [
            new("k8s/00-namespace.yaml", ""), new("images/spark/Dockerfile", "x"), new("notebooks/pi.ipynb", ""),
            new("imagesX/file", ""), new("images/build-args.env", "y"),
        ];

        ImageBuildContext.Select(rendered).Select(f => f.RelativePath).Should().Equal("images/build-args.env", "images/spark/Dockerfile");
    }

    [Fact]
    public void Resolving_without_a_tag_uses_the_tag_images_build_gives()
    {
        var spec = new EnvironmentSpec { Images = new ImagesSpec { Registry = "reg.example" } };

        var images = ImageResolver.Resolve(spec, new LocalState());

        var tag = ImageTag.Compute(spec, ImageBuildContext.Render(spec));
        images.Spark.Should().Be($"reg.example/spark:{tag}");
        images.Jupyter.Should().Be($"reg.example/jupyter:{tag}");
    }

    [Fact]
    public void Render_and_images_build_agree_on_the_build_context_and_the_tag()
    {
        var spec = new EnvironmentSpec { Spark = new SparkSpec { Version = "3.5.4" } };

        var rendered = Kindling.Operations.EnvironmentRenderer.Render(spec, new LocalState(), jupyterToken: new string('0', 64));

        rendered.BuildContext.Should().Equal(ImageBuildContext.Render(spec));
        rendered.ImageTag.Should().Be(ImageTag.Compute(spec, ImageBuildContext.Render(spec)));
        rendered.Images.Should().Be(ImageResolver.Resolve(spec, new LocalState()));
    }
}
