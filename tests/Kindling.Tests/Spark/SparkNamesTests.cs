using Kindling.Spark;

namespace Kindling.Tests.Spark;

public sealed class SparkNamesTests
{
    private static readonly SparkIds Ids = new("spark-0123456789abcdef0123456789abcdef", "a1b2c318f2c5e8a0b", "c0ffee18f2c5e8a0b", "d00d0018f2c5e8a0b", "uuid", "upload");

    [Theory]
    [InlineData("etl", "etl-a1b2c318f2c5e8a0b")]
    [InlineData("Daily ETL", "daily-etl-a1b2c318f2c5e8a0b")]
    [InlineData("my_app.v2", "my-app-v2-a1b2c318f2c5e8a0b")]
    [InlineData("a -- b", "a-b-a1b2c318f2c5e8a0b")]
    [InlineData("_private", "private-a1b2c318f2c5e8a0b")]
    [InlineData("2024 report", "x024-report-a1b2c318f2c5e8a0b")]
    [InlineData("Café", "caf-a1b2c318f2c5e8a0b")]
    public void Resource_prefix_is_normalised_like_spark(string appName, string expected)
    {
        var names = SparkNames.For(appName, Ids);

        names.ResourcePrefix.Should().Be(expected);
        names.DriverPod.Should().Be(expected + "-driver");
    }

    [Fact]
    public void Short_names_get_the_preferred_service_name()
    {
        var names = SparkNames.For("etl", Ids);

        names.DriverService.Should().Be("etl-a1b2c318f2c5e8a0b-driver-svc");
        names.ConfConfigMap.Should().Be("spark-drv-c0ffee18f2c5e8a0b-conf-map");
    }

    [Fact]
    public void Service_name_over_63_characters_falls_back_to_spark_unique_id()
    {
        var longName = new string('a', 40);
        var names = SparkNames.For(longName, Ids);

        (names.ResourcePrefix + "-driver-svc").Length.Should().BeGreaterThan(63);
        names.DriverService.Should().Be("spark-d00d0018f2c5e8a0b-driver-svc");
        names.DriverService.Length.Should().BeLessThanOrEqualTo(63);
        names.DriverPod.Should().Be($"{longName}-a1b2c318f2c5e8a0b-driver");
    }

    [Fact]
    public void Service_name_of_exactly_63_characters_is_kept()
    {
        // prefix = name + '-' + 17-char id; + "-driver-svc" (11) must be 63 -> name is 34 characters.
        var names = SparkNames.For(new string('b', 34), Ids);

        names.DriverService.Length.Should().Be(63);
        names.DriverService.Should().StartWith("bbbb");
    }

    [Fact]
    public void App_name_label_is_cut_to_63_and_stripped_of_edge_dashes()
    {
        SparkNames.AppNameLabelValue("-Hello World-").Should().Be("hello-world");
        SparkNames.AppNameLabelValue(new string('x', 62) + "_y").Should().Be(new string('x', 62));
        SparkNames.AppNameLabelValue(new string('z', 100)).Length.Should().Be(63);
    }

    [Theory]
    [InlineData("!!!")]
    [InlineData("   ")]
    [InlineData("日本語")]
    public void Names_without_a_usable_character_are_bad_input(string appName)
    {
        var act = () => SparkNames.For(appName, Ids);

        act.Should().Throw<InvalidInputException>().Which.Errors.Single().Path.Should().Be("--name");
    }

    [Fact]
    public void Unique_id_is_six_hex_random_then_hex_of_low_40_bits_of_millis()
    {
        var time = new SparkFixtures.FixedTime(DateTimeOffset.FromUnixTimeMilliseconds(0x1_23_45_67_89_ABL));
        var id = new SparkIdGenerator(time, span => span.Fill(0xAB)).UniqueId();

        id.Should().Be("ababab" + "23456789ab");
        new SparkIdGenerator(new SparkFixtures.FixedTime(DateTimeOffset.FromUnixTimeMilliseconds(5)), span => span.Fill(0x01))
            .UniqueId().Should().Be("0101015", "Long.toHexString does not pad");
    }

    [Fact]
    public void App_id_is_spark_dash_uuid_without_dashes()
    {
        var ids = SparkFixtures.Ids().Next();

        ids.AppId.Should().MatchRegex("^spark-[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$");
    }
}
