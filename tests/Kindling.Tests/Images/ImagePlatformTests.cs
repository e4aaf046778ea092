using Kindling.Configuration;
using Kindling.Images;

namespace Kindling.Tests.Images;

public sealed class ImagePlatformTests
{
    [Theory]
    // Graviton: the processor option 'g' after the generation (EC2 instance type naming conventions), and A1.
    [InlineData("m6g.large", "linux/arm64")]
    [InlineData("m6gd.xlarge", "linux/arm64")]
    [InlineData("m7g.large", "linux/arm64")]
    [InlineData("m7gd.2xlarge", "linux/arm64")]
    [InlineData("m8g.large", "linux/arm64")]
    [InlineData("c6g.large", "linux/arm64")]
    [InlineData("c6gn.16xlarge", "linux/arm64")]
    [InlineData("c7g.large", "linux/arm64")]
    [InlineData("c7gn.medium", "linux/arm64")]
    [InlineData("c8g.large", "linux/arm64")]
    [InlineData("r6g.large", "linux/arm64")]
    [InlineData("r7g.large", "linux/arm64")]
    [InlineData("r8g.large", "linux/arm64")]
    [InlineData("t4g.medium", "linux/arm64")]
    [InlineData("x2gd.large", "linux/arm64")]
    [InlineData("im4gn.large", "linux/arm64")]
    [InlineData("is4gen.medium", "linux/arm64")]
    [InlineData("i4g.large", "linux/arm64")]
    [InlineData("g5g.xlarge", "linux/arm64")]
    [InlineData("hpc7g.4xlarge", "linux/arm64")]
    [InlineData("a1.large", "linux/arm64")]
    // x86-64: Intel (i), AMD (a) and families without a processor option.
    [InlineData("m5.large", "linux/amd64")]
    [InlineData("m5a.large", "linux/amd64")]
    [InlineData("m6i.large", "linux/amd64")]
    [InlineData("m7i-flex.large", "linux/amd64")]
    [InlineData("m7a.large", "linux/amd64")]
    [InlineData("c5n.large", "linux/amd64")]
    [InlineData("c7i.large", "linux/amd64")]
    [InlineData("r5dn.large", "linux/amd64")]
    [InlineData("r7iz.large", "linux/amd64")]
    [InlineData("t3.medium", "linux/amd64")]
    [InlineData("t3a.medium", "linux/amd64")]
    [InlineData("x2iedn.xlarge", "linux/amd64")]
    [InlineData("z1d.large", "linux/amd64")]
    [InlineData("d3en.xlarge", "linux/amd64")]
    [InlineData("g4dn.xlarge", "linux/amd64")]
    [InlineData("p5.48xlarge", "linux/amd64")]
    [InlineData("inf2.xlarge", "linux/amd64")]
    [InlineData("u-6tb1.metal", "linux/amd64")]
    public void Platform_follows_the_instance_family(string instanceType, string platform) =>
        ImagePlatform.ForInstanceType(instanceType).Should().Be(platform);

    [Fact]
    public void Images_platform_overrides_the_instance_type()
    {
        var spec = new EnvironmentSpec();
        ImagePlatform.For(spec).Should().Be("linux/amd64");
        ImagePlatform.For(spec with { Aws = spec.Aws with { NodeInstanceType = "c7g.xlarge" } }).Should().Be("linux/arm64");
        ImagePlatform.For(spec with { Aws = spec.Aws with { NodeInstanceType = "c7g.xlarge" }, Images = spec.Images with { Platform = "linux/amd64" } })
            .Should().Be("linux/amd64");
        ImagePlatform.Architecture("linux/arm64").Should().Be("arm64");
    }
}
