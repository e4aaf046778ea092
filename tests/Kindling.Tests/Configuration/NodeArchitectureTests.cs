using Kindling.Configuration;

namespace Kindling.Tests.Configuration;

/// <summary>Node groups whose architecture matches the images' platform are accepted; the platform decides alone off EKS.</summary>
public sealed class NodeArchitectureTests
{
    [Theory]
    [InlineData("aws:\n  nodeInstanceType: m7g.large\n  executorNodes:\n    instanceTypes: [m7g.xlarge, c7gn.2xlarge, r8g.xlarge]\n")]
    [InlineData("aws:\n  executorNodes:\n    instanceTypes: [m5.xlarge, m6a.xlarge, c7i-flex.large]\n")]
    [InlineData("images:\n  platform: linux/arm64\naws:\n  executorNodes:\n    instanceTypes: [m7g.xlarge]\n    capacityType: SPOT\n")]
    // A laptop or other non-EKS arm64 cluster: aws.nodeInstanceType is only its default and says nothing.
    [InlineData("images:\n  platform: linux/arm64\n")]
    [InlineData("images:\n  platform: linux/amd64\naws:\n  nodeInstanceType: m5.large\n")]
    public void Matching_architectures_are_accepted(string yaml) =>
        ConfigLoader.Parse(yaml, "kindling.yaml").Should().NotBeNull();

    [Fact]
    public void Every_mismatched_executor_type_is_reported_at_its_own_entry()
    {
        var yaml = "images:\n  platform: linux/arm64\naws:\n  nodeInstanceType: m5.large\n  executorNodes:\n    instanceTypes: [m7g.xlarge, m5.xlarge, c6i.xlarge]\n";
        var errors = FluentActions.Invoking(() => ConfigLoader.Parse(yaml, "kindling.yaml"))
            .Should().Throw<ConfigValidationException>().Which.Errors;
        errors.Select(e => e.Path).Should().Equal("aws.nodeInstanceType", "aws.executorNodes.instanceTypes[1]", "aws.executorNodes.instanceTypes[2]");
        errors.Should().OnlyContain(e => e.Message.Contains("exec format error"));
        errors[1].Message.Should().Contain("(images.platform is linux/arm64)");
    }
}
