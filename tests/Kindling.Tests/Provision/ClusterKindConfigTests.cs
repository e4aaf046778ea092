using Kindling.Configuration;

namespace Kindling.Tests.Provision;

/// <summary><c>cluster.kind</c> in kindling.yaml: known values bind, unknown ones and a laptop cluster with ECR are located errors.</summary>
public sealed class ClusterKindConfigTests
{
    [Fact]
    public void Auto_is_the_default_and_every_known_kind_binds()
    {
        ConfigLoader.Parse("name: a\n", "kindling.yaml").Cluster.Kind.Should().Be(ClusterKinds.Auto);
        foreach (var kind in ClusterKinds.All)
            ConfigLoader.Parse($"cluster:\n  kind: {kind}\n", "kindling.yaml").Cluster.Kind.Should().Be(kind);
    }

    [Fact]
    public void An_unknown_kind_is_located_with_a_suggestion()
    {
        var act = () => ConfigLoader.Parse("name: a\ncluster:\n  kind: minikub\n", "kindling.yaml");
        var error = act.Should().Throw<ConfigValidationException>().Which.Errors.Should().ContainSingle().Subject;
        error.ToString().Should().StartWith("kindling.yaml:3:9 cluster.kind:").And.Contain("did you mean 'minikube'?");
    }

    [Fact]
    public void A_laptop_cluster_with_an_ecr_registry_is_located_at_the_registry()
    {
        var act = () => ConfigLoader.Parse("images:\n  registry: 123456789012.dkr.ecr.eu-west-1.amazonaws.com\ncluster:\n  kind: kind\n", "kindling.yaml");
        var error = act.Should().Throw<ConfigValidationException>().Which.Errors.Should().ContainSingle().Subject;
        error.ToString().Should().StartWith("kindling.yaml:2:13 images.registry:").And.Contain("cluster.kind is kind");
    }

    [Fact]
    public void A_laptop_cluster_may_use_a_plain_registry_and_eks_may_use_ecr()
    {
        ConfigLoader.Parse("images:\n  registry: localhost:5001\ncluster:\n  kind: kind\n", "kindling.yaml").Images.Registry.Should().Be("localhost:5001");
        ConfigLoader.Parse("images:\n  registry: 123456789012.dkr.ecr.eu-west-1.amazonaws.com\ncluster:\n  kind: eks\n", "kindling.yaml")
            .Cluster.Kind.Should().Be(ClusterKinds.Eks);
    }
}
