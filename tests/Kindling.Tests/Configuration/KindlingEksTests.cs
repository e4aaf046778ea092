using Kindling.Configuration;

namespace Kindling.Tests.Configuration;

/// <summary>The one predicate "this environment runs on Kindling's EKS".</summary>
public sealed class KindlingEksTests
{
    private const string Endpoint = "https://ABC123.gr7.eu-west-1.eks.amazonaws.com";

    private static LocalState Applied(string cluster = "kindling") => new()
    {
        Terraform = new TerraformOutputs
        {
            ClusterName = cluster,
            ClusterEndpoint = Endpoint,
            ClusterCertificateAuthority = "Q0E=",
            SparkRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark",
            JupyterRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jupyter",
        },
    };

    [Fact]
    public void Without_applied_infrastructure_it_is_any_cluster()
    {
        KindlingEks.RunsOn(new EnvironmentSpec(), new LocalState()).Should().BeFalse();
        KindlingEks.RunsOn(new EnvironmentSpec(), new LocalState(), Endpoint).Should().BeFalse();
    }

    [Fact]
    public void Applied_outputs_of_this_cluster_make_render_target_eks()
    {
        KindlingEks.RunsOn(new EnvironmentSpec(), Applied()).Should().BeTrue();
    }

    [Fact]
    public void Outputs_of_another_cluster_name_do_not_count()
    {
        KindlingEks.RunsOn(new EnvironmentSpec(), Applied(cluster: "other")).Should().BeFalse();
    }

    [Theory]
    [InlineData(Endpoint, true)]
    [InlineData(Endpoint + "/", true)]
    [InlineData("https://abc123.gr7.eu-west-1.eks.amazonaws.com:443", true)]
    [InlineData("https://127.0.0.1:6443", false)]
    [InlineData("https://kubernetes.docker.internal:6443", false)]
    [InlineData("not a url", false)]
    public void With_a_connection_its_server_must_be_the_saved_endpoint(string server, bool expected)
    {
        KindlingEks.RunsOn(new EnvironmentSpec(), Applied(), server).Should().Be(expected);
    }
}
