using System.Security.Cryptography;
using System.Text;
using Kindling.Configuration;
using Kindling.Images;
using Kindling.Operations;
using Kindling.Testing;
using Kindling.Testing.Processes;
using Kindling.Tools;

namespace Kindling.Tests.Images;

/// <summary>
/// The ECR login with the real aws CLI against a real moto_server (the AWS emulator) on a free loopback port:
/// the password moto issues travels from aws's stdout into the recording docker's stdin, and nowhere else.
/// </summary>
public sealed class EcrLoginMotoTests : IAsyncLifetime, IDisposable
{
    private const string Registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

    private readonly TempDir work = new();
    private readonly FakeTools docker = new(new FakeToolsConfig { RequireLogin = true }, withAws: false);
    private MotoServer? moto;

    private string Endpoint => (moto ?? throw new InvalidOperationException("moto_server is not running")).Endpoint;

    public async Task InitializeAsync() => moto = await MotoServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (moto is not null) await moto.DisposeAsync();
    }

    public void Dispose()
    {
        docker.Dispose();
        work.Dispose();
    }

    private Dictionary<string, string?> Environment() => new(MotoServer.ClientEnvironment)
    {
        ["PATH"] = $"{docker.BinDirectory}{Path.PathSeparator}{System.Environment.GetEnvironmentVariable("PATH")}",
        ["AWS_CONFIG_FILE"] = work.File("no-aws-config"),
        ["AWS_SHARED_CREDENTIALS_FILE"] = work.File("no-aws-credentials"),
    };

    /// <summary>What moto hands out, asked for directly so the test knows the secret it must not see anywhere.</summary>
    private async Task<string> PasswordFromMotoAsync()
    {
        var aws = RequiredTool.Find("aws", "Install the AWS CLI: pip install awscli.");
        var run = await ToolRun.RunAsync(aws, ["ecr", "get-login-password", "--region", MotoServer.Region, "--endpoint-url", Endpoint],
            work.Path, Environment());
        run.ExitCode.Should().Be(0, run.ToString());
        return run.Stdout.TrimEnd('\n');
    }

    [Fact]
    public async Task Push_logs_in_with_the_password_moto_issues_through_stdin_only()
    {
        var environment = Environment();
        var events = new List<ProgressEvent>();
        var spec = new EnvironmentSpec
        {
            Images = new ImagesSpec { Registry = Registry, Tag = "moto" },
            Aws = new AwsSpec { Endpoint = Endpoint },
        };
        using var context = new EnvironmentContext(new EnvironmentContextOptions
        {
            Config = new LoadedConfig(spec, null),
            WorkingDirectory = work.Path,
            Tools = new ToolEnvironment(name => environment.TryGetValue(name, out var v) ? v : System.Environment.GetEnvironmentVariable(name)),
            Progress = new Progress(events),
        });

        var result = await ImagesPushOperation.RunAsync(context, new ImagesOptions(), CancellationToken.None);

        var password = await PasswordFromMotoAsync();
        password.Should().NotBeEmpty();
        var login = docker.Calls().Single(c => c.Command == "login");
        login.Argv.Should().Equal("login", "--username", "AWS", "--password-stdin", Registry);
        login.StdinSha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password + "\n"))));
        docker.RawLog().Should().NotContain(password);
        events.Should().NotContain(e => e.Message.Contains(password, StringComparison.Ordinal));
        result.ToString().Should().NotContain(password);
        result.Images.Select(i => i.Pushed).Should().Equal(true, true);
    }

    private sealed class Progress(List<ProgressEvent> sink) : IProgress<ProgressEvent>
    {
        public void Report(ProgressEvent value)
        {
            lock (sink) sink.Add(value);
        }
    }
}
