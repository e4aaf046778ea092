using Kindling.Images;

namespace Kindling.Tests.Images;

public sealed class RegistryHostTests
{
    [Theory]
    [InlineData("123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark:t", "123456789012.dkr.ecr.eu-west-1.amazonaws.com")]
    [InlineData("localhost:5000/spark:t", "localhost:5000")]
    [InlineData("localhost/spark:t", "localhost")]
    [InlineData("ghcr.io/org/spark:t", "ghcr.io")]
    [InlineData("kindling/spark:t", null)]
    [InlineData("spark:t", null)]
    public void Registry_host_follows_dockers_rule(string reference, string? host) =>
        RegistryHost.Of(reference).Should().Be(host);

    [Theory]
    [InlineData("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "eu-west-1")]
    [InlineData("123456789012.dkr.ecr-fips.us-east-1.amazonaws.com", "us-east-1")]
    [InlineData("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", "cn-north-1")]
    [InlineData("12345.dkr.ecr.eu-west-1.amazonaws.com", null)]
    [InlineData("123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.example", null)]
    [InlineData("ghcr.io", null)]
    public void Ecr_hosts_are_recognised_with_their_region(string host, string? region)
    {
        RegistryHost.IsEcr(host).Should().Be(region is not null);
        RegistryHost.EcrRegion(host).Should().Be(region);
    }
}
