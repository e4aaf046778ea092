using Kindling.Configuration;
using Kindling.Terraform;

namespace Kindling.Tests.Terraform;

/// <summary>The optional <c>spark_role_arn</c> output, and state saved before it existed.</summary>
public sealed class SparkRoleOutputTests
{
    private const string Required = """
        "cluster_name": {"value": "kindling", "type": "string"},
        "cluster_endpoint": {"value": "https://ABC.gr7.eu-west-1.eks.amazonaws.com", "type": "string"},
        "cluster_certificate_authority": {"value": "TFMwdExTMUNSVWRK", "type": "string"},
        "spark_repository_url": {"value": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark", "type": "string"},
        "jupyter_repository_url": {"value": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jupyter", "type": "string"}
        """;

    [Fact]
    public void The_role_arn_is_read_when_present()
    {
        var outputs = TerraformOutputsReader.Parse(
            "{" + Required + """, "spark_role_arn": {"value": "arn:aws:iam::123456789012:role/kindling-spark", "type": "string"}}""", "tf");

        outputs.SparkRoleArn.Should().Be("arn:aws:iam::123456789012:role/kindling-spark");
    }

    [Fact]
    public void Outputs_of_a_module_without_the_role_still_load()
    {
        TerraformOutputsReader.Parse("{" + Required + "}", "tf").SparkRoleArn.Should().BeNull();
    }

    [Theory]
    [InlineData("\"arn:aws:iam::123456789012:user/someone\"")]
    [InlineData("\"kindling-spark\"")]
    [InlineData("42")]
    public void A_role_arn_that_is_not_one_is_refused(string value)
    {
        var act = () => TerraformOutputsReader.Parse("{" + Required + ", \"spark_role_arn\": {\"value\": " + value + "}}", "tf");

        act.Should().Throw<KindlingException>().WithMessage("*spark_role_arn: expected an IAM role ARN*");
    }

    [Fact]
    public void State_saved_before_the_role_existed_loads_without_it()
    {
        using var dir = new TempDir();
        dir.Write(".kindling/state.json", """
            {"jupyterToken": "x", "terraform": {"sparkRepositoryUrl": "r/spark", "jupyterRepositoryUrl": "r/jupyter",
             "clusterName": "kindling", "clusterEndpoint": "https://e", "clusterCertificateAuthority": "QQ=="}}
            """);

        var state = LocalStateStore.For(null, dir.Path).Load();

        state.Terraform!.ClusterName.Should().Be("kindling");
        state.Terraform.SparkRoleArn.Should().BeNull();
    }
}
