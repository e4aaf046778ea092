using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kindling.Configuration;
using Kindling.Images;
using Kindling.Testing;
using Kindling.Tests.Cli;

namespace Kindling.Tests.Images;

/// <summary>
/// <c>kindling images build|push</c> through the real command tree, with recording docker and aws executables
/// first on PATH (given to the CLI through its environment, never the process's).
/// </summary>
public sealed class ImagesCliTests : IDisposable
{
    private const string EcrHost = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

    private readonly TempDir work = new();
    private readonly FakeTools tools = new();

    public void Dispose()
    {
        tools.Dispose();
        work.Dispose();
    }

    private Task<CliResult> Run(params string[] args) =>
        CliHarness.RunAsync(new CliRun(work.Path) { Environment = new Dictionary<string, string?> { ["PATH"] = tools.Path } }, args);

    private void SaveTerraformOutputs() =>
        LocalStateStore.For(null, work.Path).Save(new LocalState
        {
            Terraform = new TerraformOutputs
            {
                SparkRepositoryUrl = $"{EcrHost}/spark",
                JupyterRepositoryUrl = $"{EcrHost}/jupyter",
                ClusterName = "kindling",
                ClusterEndpoint = "https://example.eks.amazonaws.com",
                ClusterCertificateAuthority = "Y2E=",
            },
        });

    private static string ExpectedTag()
    {
        var spec = new EnvironmentSpec();
        return ImageTag.Compute(spec, ImageBuildContext.Render(spec));
    }

    [Fact]
    public async Task Build_checks_the_daemon_then_builds_spark_then_jupyter_from_it()
    {
        var result = await Run("images", "build");

        result.ExitCode.Should().Be(0, result.ToString());
        var tag = ExpectedTag();
        var calls = tools.Calls();
        calls.Select(c => c.Command).Should().Equal("info", "image inspect", "buildx build", "image inspect", "buildx build");
        calls.Should().OnlyContain(c => c.Tool == "docker");

        var sparkBuild = calls[2];
        sparkBuild.ValueOf("--tag").Should().Be($"kindling/spark:{tag}");
        sparkBuild.Argv[^1].Should().Be(Path.Combine(work.Path, ".kindling", "images", "spark"));
        sparkBuild.ValuesOf("--build-arg").Should().Equal(
            "AWS_SDK_BUNDLE=com.amazonaws:aws-java-sdk-bundle:1.12.262", "HADOOP_VERSION=3.3.4", "JAVA_VERSION=17",
            "MAVEN_REPOSITORY=https://repo1.maven.org/maven2", "PYTHON_VERSION=3.10",
            "S3A_JARS=org/apache/hadoop/hadoop-aws/3.3.4/hadoop-aws-3.3.4.jar com/amazonaws/aws-java-sdk-bundle/1.12.262/aws-java-sdk-bundle-1.12.262.jar",
            "SCALA_VERSION=2.12", "SPARK_VERSION=3.5.8");
        // The default m5.large nodes are x86: built for linux/amd64 whatever machine runs the build, and loaded.
        sparkBuild.ValueOf("--platform").Should().Be("linux/amd64");
        sparkBuild.Argv.Should().Contain("--load");

        var jupyterBuild = calls[4];
        jupyterBuild.ValueOf("--tag").Should().Be($"kindling/jupyter:{tag}");
        jupyterBuild.Argv[^1].Should().Be(Path.Combine(work.Path, ".kindling", "images", "jupyter"));
        jupyterBuild.ValuesOf("--build-arg").Should().Contain($"SPARK_IMAGE=kindling/spark:{tag}");
        calls[3].Argv[^1].Should().Be($"kindling/jupyter:{tag}");

        File.ReadAllText(Path.Combine(work.Path, ".kindling", "images", "spark", "Dockerfile"))
            .Should().Be(DockerfileSet.Render(new EnvironmentSpec()).Single(f => f.RelativePath == DockerfileSet.SparkDockerfile).Content);
        result.Stdout.Should().Contain($"kindling/spark:{tag}").And.Contain("built");
        result.Stderr.Should().Contain("image/spark: building");
    }

    [Fact]
    public async Task An_image_built_from_the_same_context_is_not_rebuilt()
    {
        (await Run("images", "build")).ExitCode.Should().Be(0);
        tools.ClearLog();

        var again = await Run("images", "build", "-o", "json");

        again.ExitCode.Should().Be(0, again.ToString());
        tools.Calls().Select(c => c.Command).Should().Equal("info", "image inspect", "image inspect");
        using var json = JsonDocument.Parse(again.Stdout);
        json.RootElement.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("action").GetString())
            .Should().Equal("unchanged", "unchanged");
        again.Stderr.Should().Contain("unchanged");
    }

    [Fact]
    public async Task An_explicit_tag_whose_image_was_built_from_other_files_is_rebuilt()
    {
        (await Run("images", "build", "--tag", "dev")).ExitCode.Should().Be(0);
        (await Run("images", "build", "--tag", "dev")).ExitCode.Should().Be(0);
        tools.Calls().Count(c => c.Command == "buildx build").Should().Be(2, "the second run found both images up to date");

        // The same tag now holds images built from an older build context: they are stale and must be rebuilt.
        var hash = ImageTag.ContentHash(ImageBuildContext.Render(new EnvironmentSpec()));
        File.WriteAllText(tools.StateFile, File.ReadAllText(tools.StateFile).Replace(hash, "an-older-context"));
        tools.ClearLog();

        (await Run("images", "build", "--tag", "dev")).ExitCode.Should().Be(0);
        tools.Calls().Where(c => c.Command == "buildx build").Select(c => c.ValueOf("--tag"))
            .Should().Equal("kindling/spark:dev", "kindling/jupyter:dev");
    }

    [Fact]
    public async Task Push_to_ecr_from_terraform_outputs_pipes_the_password_into_docker_login()
    {
        SaveTerraformOutputs();
        var password = new FakeToolsConfig().Password;
        tools.Configure(new FakeToolsConfig { RequireLogin = true });

        var result = await Run("images", "push", "-o", "json");

        result.ExitCode.Should().Be(0, result.ToString());
        var tag = ExpectedTag();
        var calls = tools.Calls();
        calls.Select(c => $"{c.Tool} {c.Command}").Should().Equal(
            "docker info", "docker image inspect", "docker buildx build", "docker image inspect", "docker buildx build",
            "aws ecr get-login-password", "docker login", "docker push", "docker push");
        calls[4].ValuesOf("--build-arg").Should().Contain($"SPARK_IMAGE={EcrHost}/spark:{tag}");

        var aws = calls[5];
        aws.ValueOf("--region").Should().Be("eu-west-1");
        aws.Argv.Should().NotContain("--endpoint-url");

        var login = calls[6];
        login.Argv.Should().Equal("login", "--username", "AWS", "--password-stdin", EcrHost);
        var piped = Encoding.UTF8.GetBytes(password + "\n");
        login.StdinBytes.Should().Be(piped.Length);
        login.StdinSha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(piped)));

        calls[7].Argv.Should().Equal("push", $"{EcrHost}/spark:{tag}");
        calls[8].Argv.Should().Equal("push", $"{EcrHost}/jupyter:{tag}");

        tools.RawLog().Should().NotContain(password);
        result.Stdout.Should().NotContain(password);
        result.Stderr.Should().NotContain(password);

        using var json = JsonDocument.Parse(result.Stdout);
        json.RootElement.GetProperty("registryLogins").EnumerateArray().Select(e => e.GetString()).Should().Equal(EcrHost);
        json.RootElement.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("source").GetString())
            .Should().Equal("terraformOutputs", "terraformOutputs");
        json.RootElement.GetProperty("images").EnumerateArray().Should().OnlyContain(i => i.GetProperty("pushed").GetBoolean());
    }

    [Fact]
    public async Task A_failing_ecr_login_reports_aws_and_never_pushes()
    {
        SaveTerraformOutputs();
        tools.Configure(new FakeToolsConfig { AwsFails = true, RequireLogin = true });

        var result = await Run("images", "push");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("aws exited with code 255").And.Contain("UnrecognizedClientException");
        tools.Calls().Should().NotContain(c => c.Command == "push");
    }

    [Fact]
    public async Task Push_without_a_registry_is_bad_input_and_runs_nothing()
    {
        var result = await Run("images", "push");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("images.registry: there is no registry to push to");
        tools.Calls().Should().BeEmpty();
    }

    [Fact]
    public async Task An_invalid_tag_is_bad_input()
    {
        var result = await Run("images", "build", "--tag", "bad tag!");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("--tag: 'bad tag!' is not a valid image tag");
        tools.Calls().Should().BeEmpty();
    }

    [Fact]
    public async Task A_stopped_daemon_gives_the_clear_message_and_builds_nothing()
    {
        tools.Configure(new FakeToolsConfig { Daemon = false });

        var result = await Run("images", "build");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("error: Docker is not running: start it, or set images.build: false and give images explicitly");
        tools.Calls().Select(c => c.Command).Should().Equal("info");
    }

    [Fact]
    public async Task The_real_docker_cli_without_a_daemon_gives_the_clear_message()
    {
        var docker = RequiredTool.Find("docker", "Install the docker CLI (apt-get install -y docker.io, or docker-ce-cli).");
        // A socket that cannot exist, so the test means the same on a machine that does run a daemon.
        var run = new CliRun(work.Path)
        {
            Environment = new Dictionary<string, string?>
            {
                ["PATH"] = Path.GetDirectoryName(docker)!,
                ["DOCKER_HOST"] = $"unix://{work.File("no-daemon.sock")}",
            },
        };

        var result = await CliHarness.RunAsync(run, "images", "build");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("Docker is not running: start it, or set images.build: false and give images explicitly");
        result.Stderr.Should().Contain("Cannot connect to the Docker daemon", "docker's own reason follows the message");
    }

    [Fact]
    public async Task Docker_missing_from_path_says_how_to_install_it()
    {
        using var onlyAws = new FakeTools(withDocker: false);
        var run = new CliRun(work.Path) { Environment = new Dictionary<string, string?> { ["PATH"] = onlyAws.BinDirectory } };

        var result = await CliHarness.RunAsync(run, "images", "build");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("'docker' is not on PATH").And.Contain("https://docs.docker.com/get-docker/");
    }

    [Fact]
    public async Task Aws_missing_from_path_says_how_to_install_it_before_pushing()
    {
        SaveTerraformOutputs();
        using var onlyDocker = new FakeTools(withAws: false);
        var run = new CliRun(work.Path) { Environment = new Dictionary<string, string?> { ["PATH"] = onlyDocker.BinDirectory } };

        var result = await CliHarness.RunAsync(run, "images", "push");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("'aws' is not on PATH").And.Contain("Install the AWS CLI");
        onlyDocker.Calls().Should().BeEmpty("a login that cannot happen is found out before a long build");
    }

    [Fact]
    public async Task A_failed_build_shows_the_end_of_dockers_output_and_stops()
    {
        tools.Configure(new FakeToolsConfig { FailBuild = "spark" });

        var result = await Run("images", "build");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("docker exited with code 1: building kindling/spark:")
            .And.Contain("python3 in the base image is 3.11 but PYTHON_VERSION is 3.10")
            .And.Contain("did not complete successfully");
        tools.Calls().Count(c => c.Command == "buildx build").Should().Be(1, "the jupyter image is not built on a failed spark image");
    }

    [Fact]
    public async Task Build_false_in_kindling_yaml_says_there_is_nothing_to_build_and_names_the_images()
    {
        work.Write("kindling.yaml", """
            spark:
              image: registry.example/team/spark:3.5.5
            notebook:
              image: registry.example/team/jupyter:3.5.5
            images:
              build: false
            """);

        var result = await Run("images", "build");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("Nothing to build: images.build is false")
            .And.Contain("registry.example/team/spark:3.5.5")
            .And.Contain("registry.example/team/jupyter:3.5.5");
        tools.Calls().Should().BeEmpty();
    }

    [Fact]
    public async Task An_ecr_registry_with_an_aws_endpoint_in_kindling_yaml_logs_in_through_that_endpoint()
    {
        work.Write("kindling.yaml", $"""
            images:
              registry: {EcrHost}
            aws:
              endpoint: http://127.0.0.1:4566
            """);
        tools.Configure(new FakeToolsConfig { RequireLogin = true });

        var result = await Run("images", "push", "-f", "kindling.yaml", "--tag", "it");

        result.ExitCode.Should().Be(0, result.ToString());
        tools.Calls().Single(c => c.Tool == "aws").Argv.Should().Equal(
            "ecr", "get-login-password", "--region", "eu-west-1", "--endpoint-url", "http://127.0.0.1:4566");
        tools.Calls().Where(c => c.Command == "push").Select(c => c.Argv[1]).Should().Equal($"{EcrHost}/spark:it", $"{EcrHost}/jupyter:it");
        result.Stdout.Should().Contain($"Logged in to {EcrHost}");
    }

    [Fact]
    public async Task A_bad_images_tag_in_kindling_yaml_is_bad_input_and_runs_nothing()
    {
        work.Write("kindling.yaml", """
            images:
              tag: "not a tag"
            """);

        var result = await Run("images", "build");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("images.tag");
        tools.Calls().Should().BeEmpty();
    }
}
