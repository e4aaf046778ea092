using System.Text.Json;
using Kindling.Configuration;
using Kindling.Tests.Cli;
using Kindling.Testing.Processes;

namespace Kindling.Tests.Terraform;

/// <summary>
/// One directory with a kindling.yaml pointing every AWS API at a moto_server, and the CLI harness set up with
/// dummy credentials and the offline provider mirror, as a user of LocalStack or moto would run Kindling.
/// </summary>
public sealed class InfraScenario : IDisposable
{
    private readonly TempDir dir = new();

    public InfraScenario(MotoServer moto, string extraYaml = "")
    {
        Moto = moto;
        ConfigPath = dir.Write("kindling.yaml", $"aws:\n  endpoint: {moto.Endpoint}\n{extraYaml}");
    }

    public MotoServer Moto { get; }

    public string Directory => dir.Path;

    public string ConfigPath { get; }

    public string TerraformDirectory => Path.Combine(Directory, ".kindling", "terraform");

    public IReadOnlyDictionary<string, string?> Environment =>
        new Dictionary<string, string?>(MotoServer.ClientEnvironment)
        {
            ["KINDLING_TF_PLUGIN_DIR"] = TerraformTool.PluginDirectory,
        };

    public CliRun Run(CancellationToken cancellation = default) =>
        new(Directory) { Environment = Environment, Cancellation = cancellation };

    public Task<CliResult> CliAsync(params string[] args) => CliHarness.RunAsync(Run(), args);

    public LocalState State => LocalStateStore.For(ConfigPath, Directory).Load();

    /// <summary>terraform itself, in Kindling's working directory, with the same credentials.</summary>
    public Task<ToolRunResult> TerraformAsync(params string[] args) =>
        ToolRun.RunAsync(TerraformTool.Executable, args, TerraformDirectory, Environment);

    /// <summary>The VPCs Kindling created (moto also has a default VPC, which carries no Kindling tag).</summary>
    public async Task<IReadOnlyList<JsonElement>> KindlingVpcsAsync()
    {
        var result = await Moto.AwsAsync("ec2", "describe-vpcs", "--filters", "Name=tag:kindling.dev/inventory,Values=kindling");
        return [.. result.GetProperty("Vpcs").EnumerateArray()];
    }

    public async Task<IReadOnlyList<JsonElement>> SubnetsAsync(string vpcId)
    {
        var result = await Moto.AwsAsync("ec2", "describe-subnets", "--filters", $"Name=vpc-id,Values={vpcId}");
        return [.. result.GetProperty("Subnets").EnumerateArray()];
    }

    public async Task<IReadOnlyList<string>> ClustersAsync() =>
        [.. (await Moto.AwsAsync("eks", "list-clusters")).GetProperty("clusters").EnumerateArray().Select(c => c.GetString()!)];

    public async Task<IReadOnlyList<JsonElement>> RepositoriesAsync() =>
        [.. (await Moto.AwsAsync("ecr", "describe-repositories")).GetProperty("repositories").EnumerateArray()];

    public async Task<IReadOnlyList<string>> KindlingRolesAsync() =>
        [.. (await Moto.AwsAsync("iam", "list-roles")).GetProperty("Roles").EnumerateArray()
            .Select(r => r.GetProperty("RoleName").GetString()!).Where(n => n.StartsWith("kindling-", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    public void Dispose() => dir.Dispose();
}
