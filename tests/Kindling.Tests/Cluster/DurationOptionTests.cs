using Kindling.Cli.Commands;

namespace Kindling.Tests.Cluster;

public sealed class DurationOptionTests
{
    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5m", 90)]
    public void Parses_kubectl_style_durations(string text, int seconds)
    {
        DurationOption.TryParse(text, out var value).Should().BeTrue();
        value.Should().Be(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData("")]
    [InlineData("5 minutes")]
    [InlineData("m")]
    [InlineData("-5s")]
    public void Rejects_anything_else(string text) => DurationOption.TryParse(text, out _).Should().BeFalse();
}
