using Kindling.Configuration;
using Kindling.Images;
using Kindling.Operations;
using Kindling.Tools;

namespace Kindling.Tests.Images;

/// <summary>
/// The build and push operations with configs the CLI cannot express until the YAML binder lands: explicit
/// images, a configured registry, <c>images.build: false</c> and <c>aws.endpoint</c>.
/// </summary>
public sealed class ImagesOperationTests : IDisposable
{
    private readonly TempDir work = new();
    private readonly FakeTools tools = new();
    private readonly List<ProgressEvent> events = [];

    public void Dispose()
    {
        tools.Dispose();
        work.Dispose();
    }

    private static IReadOnlyList<RenderedFile> TestBuildContext(EnvironmentSpec spec) =>
        [.. DockerfileSet.Render(spec), new RenderedFile(DockerfileSet.NotebookStartupFile, "spark = None\n")];

    private EnvironmentContext Options(EnvironmentSpec spec) => new(ContextOptions(spec));

    private EnvironmentContextOptions ContextOptions(EnvironmentSpec spec) => new()
    {
        Config = new LoadedConfig(spec, work.Write("kindling.yaml", "# test\n")),
        WorkingDirectory = work.Path,
        Tools = new ToolEnvironment(name => name == "PATH" ? tools.Path : null),
        Progress = new SyncProgress(events),
        RenderBuildContext = TestBuildContext,
    };

    private sealed class SyncProgress(List<ProgressEvent> sink) : IProgress<ProgressEvent>
    {
        public void Report(ProgressEvent value)
        {
            lock (sink) sink.Add(value);
        }
    }

    [Fact]
    public async Task Build_false_builds_nothing_and_names_the_given_images()
    {
        var spec = new EnvironmentSpec
        {
            Spark = new SparkSpec { Image = "reg.example/spark:given" },
            Notebook = new NotebookSpec { Image = "reg.example/jupyter:given" },
            Images = new ImagesSpec { Build = false },
        };

        var built = await ImagesBuildOperation.RunAsync(Options(spec), new ImagesOptions(), CancellationToken.None);
        var pushed = await ImagesPushOperation.RunAsync(Options(spec), new ImagesOptions(), CancellationToken.None);

        foreach (var result in new[] { built, pushed })
        {
            result.Build.Should().BeFalse();
            result.ContextDirectory.Should().BeNull();
            result.Images.Select(i => (i.Reference, i.Action, i.Source, i.Pushed)).Should().Equal(
                ("reg.example/spark:given", ImageAction.Given, ImageSource.Config, false),
                ("reg.example/jupyter:given", ImageAction.Given, ImageSource.Config, false));
        }
        tools.Calls().Should().BeEmpty("nothing runs when the images are given");
        events.Should().Contain(e => e.Message.Contains("nothing to build") && e.Message.Contains("reg.example/spark:given"));
        Directory.Exists(work.File(".kindling/images")).Should().BeFalse();
    }

    [Fact]
    public async Task The_build_context_is_written_beside_the_config_and_its_hash_is_the_tag()
    {
        var options = Options(new EnvironmentSpec());

        var result = await ImagesBuildOperation.RunAsync(options, new ImagesOptions(), CancellationToken.None);

        var context = TestBuildContext(new EnvironmentSpec());
        result.Tag.Should().Be(ImageTag.Compute(new EnvironmentSpec(), context));
        result.ContextDirectory.Should().Be(work.File(".kindling/images"));
        File.ReadAllText(work.File(".kindling/images/jupyter/00-kindling-spark.py")).Should().Be("spark = None\n");
        Directory.GetFiles(work.File(".kindling/images"), "*", SearchOption.AllDirectories).Should().HaveCount(context.Count);
        tools.Calls().Where(c => c.Command == "build").Should().OnlyContain(
            c => c.ValueOf("--label") == $"{ImageTag.ContentHashLabel}={ImageTag.ContentHash(context)}");
    }

    [Fact]
    public async Task A_context_without_the_start_up_file_fails_before_docker_runs()
    {
        var options = new EnvironmentContext(ContextOptions(new EnvironmentSpec()) with { RenderBuildContext = DockerfileSet.Render });

        var act = () => ImagesBuildOperation.RunAsync(options, new ImagesOptions(), CancellationToken.None);

        (await act.Should().ThrowAsync<KindlingException>()).Which.Message.Should().Contain("images/jupyter/00-kindling-spark.py");
        tools.Calls().Should().BeEmpty();
    }

    [Fact]
    public async Task A_stale_file_in_the_context_directory_is_removed()
    {
        work.Write(".kindling/images/jupyter/leftover.py", "old");

        await ImagesBuildOperation.RunAsync(Options(new EnvironmentSpec()), new ImagesOptions(), CancellationToken.None);

        File.Exists(work.File(".kindling/images/jupyter/leftover.py")).Should().BeFalse("docker must see exactly the hashed files");
    }

    [Fact]
    public async Task A_non_ecr_registry_is_pushed_without_an_ecr_login()
    {
        var spec = new EnvironmentSpec { Images = new ImagesSpec { Registry = "registry.example:5000/team", Tag = "t1" } };

        var result = await ImagesPushOperation.RunAsync(Options(spec), new ImagesOptions(), CancellationToken.None);

        result.RegistryLogins.Should().BeEmpty();
        tools.Calls().Should().NotContain(c => c.Tool == "aws" || c.Command == "login");
        tools.Calls().Where(c => c.Command == "push").Select(c => c.Argv[1])
            .Should().Equal("registry.example:5000/team/spark:t1", "registry.example:5000/team/jupyter:t1");
    }

    [Fact]
    public async Task An_ecr_registry_in_the_config_logs_in_with_the_region_of_its_host()
    {
        var spec = new EnvironmentSpec
        {
            Images = new ImagesSpec { Registry = "210987654321.dkr.ecr.us-east-2.amazonaws.com", Tag = "t1" },
        };
        tools.Configure(new FakeToolsConfig { RequireLogin = true });

        var result = await ImagesPushOperation.RunAsync(Options(spec), new ImagesOptions(), CancellationToken.None);

        result.RegistryLogins.Should().Equal("210987654321.dkr.ecr.us-east-2.amazonaws.com");
        var aws = tools.Calls().Single(c => c.Tool == "aws");
        aws.Argv.Should().Equal("ecr", "get-login-password", "--region", "us-east-2");
    }

    [Fact]
    public async Task An_aws_endpoint_is_used_for_the_ecr_login_of_any_registry_host()
    {
        var spec = new EnvironmentSpec
        {
            Images = new ImagesSpec { Registry = "localhost.localstack.cloud:4510", Tag = "t1" },
            Aws = new AwsSpec { Region = "eu-central-1", Endpoint = "http://127.0.0.1:4566" },
        };
        tools.Configure(new FakeToolsConfig { RequireLogin = true });

        var result = await ImagesPushOperation.RunAsync(Options(spec), new ImagesOptions(), CancellationToken.None);

        result.RegistryLogins.Should().Equal("localhost.localstack.cloud:4510");
        tools.Calls().Single(c => c.Tool == "aws").Argv.Should().Equal(
            "ecr", "get-login-password", "--region", "eu-central-1", "--endpoint-url", "http://127.0.0.1:4566");
        var login = tools.Calls().Single(c => c.Command == "login");
        login.Argv[^1].Should().Be("localhost.localstack.cloud:4510");
        login.StdinBytes.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Explicit_images_are_built_under_their_own_names_and_only_ecr_ones_get_a_login()
    {
        var spec = new EnvironmentSpec
        {
            Spark = new SparkSpec { Image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/custom-spark:1" },
            Notebook = new NotebookSpec { Image = "ghcr.io/team/notebook:1" },
            Aws = new AwsSpec { Endpoint = "http://127.0.0.1:5000" },
        };

        var result = await ImagesPushOperation.RunAsync(Options(spec), new ImagesOptions(), CancellationToken.None);

        result.RegistryLogins.Should().Equal("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
        var jupyterBuild = tools.Calls().Where(c => c.Command == "build").Last();
        jupyterBuild.ValuesOf("--build-arg").Should().Contain("SPARK_IMAGE=123456789012.dkr.ecr.eu-west-1.amazonaws.com/custom-spark:1");
        result.Images.Select(i => i.Pushed).Should().Equal(true, true);
    }

    [Fact]
    public async Task Progress_reports_each_step_with_its_elapsed_time()
    {
        await ImagesBuildOperation.RunAsync(Options(new EnvironmentSpec()), new ImagesOptions(), CancellationToken.None);

        events.Where(e => e.Status == ProgressStatus.Done).Select(e => e.Subject)
            .Should().Equal("context", "docker", "image/spark", "image/jupyter");
        events.Where(e => e.Status == ProgressStatus.Done && e.Subject != "context").Should().OnlyContain(e => e.Elapsed != null);
        events.Should().Contain(e => e.Subject == "image/spark" && e.Status == ProgressStatus.Info && e.Message.StartsWith("#6 [2/3]"));
    }

    [Fact]
    public async Task Cancelling_a_build_kills_docker()
    {
        tools.Configure(new FakeToolsConfig { HangBuild = true });
        using var cts = new CancellationTokenSource();
        var options = new EnvironmentContext(ContextOptions(new EnvironmentSpec()) with
        {
            // Cancel once the build is visibly under way, as Ctrl+C would.
            Progress = new CancelOn(e => e.Subject == "image/spark" && e.Message.StartsWith("#6 ", StringComparison.Ordinal), cts),
        });

        var act = () => ImagesBuildOperation.RunAsync(options, new ImagesOptions(), cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        var pid = tools.HangingBuildPid;
        var alive = true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            alive = !process.HasExited;
        }
        catch (ArgumentException)
        {
            alive = false;
        }
        alive.Should().BeFalse("the docker process is killed, not left running");
        tools.Calls().Select(c => c.Command).Should().NotContain("push");
    }

    private sealed class CancelOn(Func<ProgressEvent, bool> when, CancellationTokenSource cts) : IProgress<ProgressEvent>
    {
        public void Report(ProgressEvent value)
        {
            if (when(value)) cts.Cancel();
        }
    }
}
