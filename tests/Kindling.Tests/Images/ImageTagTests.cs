using Kindling.Configuration;
using Kindling.Images;

namespace Kindling.Tests.Images;

public sealed class ImageTagTests
{
    private static readonly RenderedFile[] Context =
    [
        new("images/spark/Dockerfile", "FROM apache/spark\n"),
        new("images/jupyter/Dockerfile", "FROM ${SPARK_IMAGE}\n"),
        new("images/jupyter/00-kindling-spark.py", "spark = None\n"),
    ];

    private static string Tag(IEnumerable<RenderedFile> files) => ImageTag.Compute(new EnvironmentSpec(), files);

    [Fact]
    public void Default_tag_is_the_spark_version_and_twelve_hex_digits_of_the_context_hash()
    {
        var tag = Tag(Context);

        tag.Should().MatchRegex("^3\\.5\\.8-[0-9a-f]{12}$");
        tag.Should().Be("3.5.8-" + ImageTag.ContentHash(Context)[..12]);
    }

    [Fact]
    public void Unchanged_files_give_the_same_tag_whatever_their_order()
    {
        Tag(Context.Reverse()).Should().Be(Tag(Context));
        Tag(Context.Select(f => f with { })).Should().Be(Tag(Context));
    }

    [Theory]
    [InlineData(0, "FROM apache/spark \n")]
    [InlineData(1, "FROM ${SPARK_IMAGE}\nUSER 185\n")]
    [InlineData(2, "spark = 1\n")]
    public void Changing_any_file_changes_the_tag(int index, string content)
    {
        var changed = Context.ToArray();
        changed[index] = changed[index] with { Content = content };

        Tag(changed).Should().NotBe(Tag(Context));
    }

    [Fact]
    public void Adding_removing_or_renaming_a_file_changes_the_tag()
    {
        Tag([.. Context, new RenderedFile("images/jupyter/extra.txt", "")]).Should().NotBe(Tag(Context));
        Tag(Context[..2]).Should().NotBe(Tag(Context));
        Tag([Context[0], Context[1], Context[2] with { RelativePath = "images/jupyter/01-kindling-spark.py" }]).Should().NotBe(Tag(Context));
    }

    [Fact]
    public void Moving_text_between_path_and_content_changes_the_hash()
    {
        ImageTag.ContentHash([new RenderedFile("a", "bc")]).Should().NotBe(ImageTag.ContentHash([new RenderedFile("ab", "c")]));
        ImageTag.ContentHash([new RenderedFile("a", "x"), new RenderedFile("b", "")])
            .Should().NotBe(ImageTag.ContentHash([new RenderedFile("a", ""), new RenderedFile("b", "x")]));
    }

    [Fact]
    public void Line_endings_do_not_change_the_tag() =>
        Tag([Context[0] with { Content = "FROM apache/spark\r\n" }, Context[1], Context[2]]).Should().Be(Tag(Context));

    [Fact]
    public void The_spark_version_is_part_of_the_tag()
    {
        var spec = new EnvironmentSpec { Spark = new SparkSpec { Version = "4.0.1" } };

        ImageTag.Compute(spec, Context).Should().StartWith("4.0.1-");
    }

    [Fact]
    public void An_explicit_tag_wins()
    {
        var spec = new EnvironmentSpec { Images = new ImagesSpec { Tag = "v1.2" } };

        ImageTag.Compute(spec, Context).Should().Be("v1.2");
    }

    [Theory]
    [InlineData("-leading-dash")]
    [InlineData(".leading-dot")]
    [InlineData("has space")]
    [InlineData("has/slash")]
    [InlineData("")]
    public void An_invalid_explicit_tag_is_bad_input_at_images_tag(string tag)
    {
        var spec = new EnvironmentSpec { Images = new ImagesSpec { Tag = tag } };

        var act = () => ImageTag.Compute(spec, Context);

        act.Should().Throw<InvalidInputException>().Which.Errors.Single().Path.Should().Be("images.tag");
    }

    [Fact]
    public void The_rendered_dockerfiles_change_the_tag_when_a_version_changes()
    {
        var before = new EnvironmentSpec();
        var after = before with { Spark = before.Spark with { PythonVersion = "3.11" } };

        ImageTag.ContentHash(DockerfileSet.Render(after)).Should().NotBe(ImageTag.ContentHash(DockerfileSet.Render(before)));
    }
}
