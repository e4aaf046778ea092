using System.Text.Json.Nodes;
using Kindling.Json;
using YamlDotNet.RepresentationModel;

namespace Kindling.Tests.Json;

public sealed class JsonYamlTests
{
    [Fact]
    public void Keeps_the_trees_key_order_and_leaves_nulls_out()
    {
        var tree = JsonNode.Parse("""{"zeta": 1, "alpha": {"b": true, "a": null}, "list": ["x", 2], "empty": [], "none": {}}""");

        JsonYaml.Write(tree).Should().Be("zeta: 1\nalpha:\n  b: true\nlist:\n- x\n- 2\nempty: []\nnone: {}\n");
    }

    [Theory]
    [InlineData("true")]
    [InlineData("on")]
    [InlineData("NO")]
    [InlineData("~")]
    [InlineData("null")]
    [InlineData("8080")]
    [InlineData("1e3")]
    [InlineData("-0.5")]
    [InlineData("")]
    [InlineData("multi\nline\n")]
    [InlineData("key: value # not a comment")]
    [InlineData("'quoted' and \"double\"")]
    [InlineData("- not a list")]
    [InlineData("*not-an-alias")]
    public void A_string_reads_back_as_the_same_string(string value)
    {
        var yaml = JsonYaml.Write(new JsonObject { ["v"] = value });

        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var scalar = (YamlScalarNode)((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("v")];
        scalar.Value.Should().Be(value);
        // Strings another YAML reader would take for a bool, null or number are quoted, not left to the reader.
        if (value.Length > 0 && !value.Contains('\n')) scalar.Style.Should().NotBe(YamlDotNet.Core.ScalarStyle.Plain);
    }

    [Fact]
    public void A_number_like_string_is_plain_only_where_the_caller_says_it_is_a_number_to_its_reader()
    {
        var tree = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "1" }, ["name"] = "1" };

        JsonYaml.Write(tree, path => path.Count > 1 && path[^2] == "requests").Should().Be("requests:\n  cpu: 1\nname: \"1\"\n");
    }
}
