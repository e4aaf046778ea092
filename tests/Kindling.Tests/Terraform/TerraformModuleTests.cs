using Kindling.Configuration;
using Kindling.Terraform;
using Kindling.Testing.Processes;

namespace Kindling.Tests.Terraform;

public sealed class TerraformModuleTests
{
    private static readonly EnvironmentSpec WithEndpoint = new() { Aws = new AwsSpec { Endpoint = "http://127.0.0.1:4566" } };

    private static readonly EnvironmentSpec WithBuckets = new()
    {
        Namespace = "data-team",
        Spark = new SparkSpec { FileUploadPath = "s3a://uploads.example/kindling/uploads" },
        Aws = new AwsSpec { S3Buckets = ["raw-data", "curated-data", "uploads.example"] },
    };

    [Fact]
    public void Default_module_matches_golden_files()
    {
        foreach (var file in TerraformModule.Render(new EnvironmentSpec()))
            Golden.Match($"terraform/default/{Path.GetFileName(file.RelativePath)}", file.Content);
    }

    [Fact]
    public void Module_with_endpoint_matches_golden_files()
    {
        foreach (var file in TerraformModule.Render(WithEndpoint))
            Golden.Match($"terraform/endpoint/{Path.GetFileName(file.RelativePath)}", file.Content);
    }

    [Fact]
    public void Renders_the_four_files_under_terraform()
    {
        TerraformModule.Render(new EnvironmentSpec()).Select(f => f.RelativePath).Should().Equal(
            "terraform/versions.tf", "terraform/variables.tf", "terraform/main.tf", "terraform/outputs.tf", "terraform/history.tf");
    }

    [Fact]
    public void Rendering_is_deterministic()
    {
        TerraformModule.Render(WithEndpoint).Should().Equal(TerraformModule.Render(WithEndpoint));
    }

    [Fact]
    public void Endpoint_overrides_and_emulator_skips_appear_only_with_an_endpoint()
    {
        var real = MainTf(new EnvironmentSpec());
        real.Should().NotContain("endpoints").And.NotContain("skip_");

        var emulated = MainTf(WithEndpoint);
        foreach (var service in new[] { "ec2", "ecr", "eks", "iam", "sts", "s3" })
            emulated.Should().MatchRegex($@"(?m)^\s+{service}\s+= ""http://127\.0\.0\.1:4566""$");
        emulated.Should().Contain("skip_credentials_validation = true")
            .And.Contain("skip_requesting_account_id  = true")
            .And.Contain("skip_metadata_api_check     = true");
    }

    [Fact]
    public void Variable_defaults_come_from_the_config()
    {
        var spec = new EnvironmentSpec
        {
            Name = "analytics",
            Aws = new AwsSpec
            {
                Region = "us-east-2",
                ClusterName = "prod-analytics",
                VpcCidr = "10.20.0.0/16",
                NodeInstanceType = "r6i.xlarge",
                NodeGroup = new NodeGroupSpec { Min = 3, Desired = 5, Max = 9 },
                AvailabilityZones =
                [
                    new() { Name = "us-east-2a", PublicSubnet = "10.20.0.0/24", PrivateSubnet = "10.20.10.0/24" },
                    new() { Name = "us-east-2b", PublicSubnet = "10.20.1.0/24", PrivateSubnet = "10.20.11.0/24" },
                    new() { Name = "us-east-2c", PublicSubnet = "10.20.2.0/24", PrivateSubnet = "10.20.12.0/24" },
                ],
            },
        };
        var variables = TerraformModule.Render(spec).Single(f => f.RelativePath.EndsWith("variables.tf", StringComparison.Ordinal)).Content;

        variables.Should().Contain("default     = \"us-east-2\"")
            .And.Contain("default     = \"prod-analytics\"")
            .And.Contain("default     = \"10.20.0.0/16\"")
            .And.Contain("default     = \"r6i.xlarge\"")
            .And.Contain("default     = 9")
            .And.Contain("\"us-east-2c\" = {\n      public_subnet  = \"10.20.2.0/24\"\n      private_subnet = \"10.20.12.0/24\"");
    }

    [Fact]
    public void Spark_role_trusts_the_environments_service_account_and_gets_the_buckets_and_the_upload_bucket()
    {
        var variables = TerraformModule.Render(WithBuckets).Single(f => f.RelativePath.EndsWith("variables.tf", StringComparison.Ordinal)).Content;

        // Sorted and distinct: the upload path's bucket is listed once although aws.s3Buckets names it too.
        variables.Should().Contain("default     = [\"curated-data\", \"raw-data\", \"uploads.example\"]")
            .And.Contain("variable \"namespace\" {").And.Contain("default     = \"data-team\"")
            .And.Contain("default     = \"kindling-spark\"");
        MainTf(WithBuckets).Should().Contain("\"${local.oidc_issuer_host}:sub\" = \"system:serviceaccount:${var.namespace}:${var.spark_service_account}\"")
            .And.Contain("count = length(var.s3_buckets) > 0 ? 1 : 0");
    }

    [Fact]
    public void Without_buckets_the_s3_list_is_empty_and_only_the_upload_bucket_is_granted_when_set()
    {
        Variables(new EnvironmentSpec()).Should().Contain("default     = []");
        Variables(new EnvironmentSpec { Spark = new SparkSpec { FileUploadPath = "s3a://uploads/x" } })
            .Should().Contain("default     = [\"uploads\"]");
    }

    [Fact]
    public void Outputs_include_the_spark_role()
    {
        var outputs = TerraformModule.Render(new EnvironmentSpec()).Single(f => f.RelativePath.EndsWith("outputs.tf", StringComparison.Ordinal)).Content;
        outputs.Should().Contain($"output \"{TerraformOutputNames.SparkRoleArn}\" {{").And.Contain("value       = aws_iam_role.spark.arn");
    }

    private static string Variables(EnvironmentSpec spec) =>
        TerraformModule.Render(spec).Single(f => f.RelativePath.EndsWith("variables.tf", StringComparison.Ordinal)).Content;

    [Fact]
    public void Strings_that_look_like_templates_stay_literal()
    {
        var variables = TerraformModule.Render(new EnvironmentSpec { Name = "a${b}%{c}\"d\\" })
            .Single(f => f.RelativePath.EndsWith("variables.tf", StringComparison.Ordinal)).Content;

        variables.Should().Contain("default     = \"a$${b}%%{c}\\\"d\\\\\"");
    }

    [Theory]
    [InlineData("default")]
    [InlineData("endpoint")]
    [InlineData("buckets")]
    public async Task Module_passes_fmt_init_and_validate_offline(string variant)
    {
        var spec = variant switch
        {
            "endpoint" => WithEndpoint,
            "buckets" => WithBuckets,
            _ => new EnvironmentSpec(),
        };
        using var dir = new TempDir();
        foreach (var file in TerraformModule.Render(spec))
            dir.Write(file.RelativePath, file.Content);
        var module = dir.File(TerraformModule.Folder);

        await Terraform(module, "fmt", "-check", "-diff", "-no-color");
        await Terraform(module, "init", "-input=false", "-no-color", "-backend=false", $"-plugin-dir={TerraformTool.PluginDirectory}");
        await Terraform(module, "validate", "-no-color");
    }

    private static async Task Terraform(string dir, params string[] args)
    {
        var result = await ToolRun.RunAsync(TerraformTool.Executable, args, dir);
        result.ExitCode.Should().Be(0, $"terraform {string.Join(' ', args)} should pass:\n{result}");
    }

    private static string MainTf(EnvironmentSpec spec) =>
        TerraformModule.Render(spec).Single(f => f.RelativePath.EndsWith("main.tf", StringComparison.Ordinal)).Content;
}
