using System.Text.RegularExpressions;
using Kindling.Configuration;
using Kindling.Terraform;

namespace Kindling.Tests.Terraform;

/// <summary>
/// Every name the rendered Terraform builds from <c>var.cluster_name</c> is in <see cref="AwsDerivedNames"/>, so
/// kindling.yaml's length check knows every AWS limit the cluster name meets (and no listed name is stale).
/// </summary>
public sealed partial class AwsDerivedNamesTests
{
    private static readonly EnvironmentSpec[] Specs =
    [
        new(),
        new() { Aws = new AwsSpec { Endpoint = "http://127.0.0.1:4566" } },
        new() { Aws = new AwsSpec { ExecutorNodes = new ExecutorNodesSpec() } },
    ];

    /// <summary>(enclosing block, text before the cluster name, text after it) of every use, descriptions aside.</summary>
    private static List<(string Block, string Prefix, string Suffix, string Line)> Uses()
    {
        var uses = new List<(string, string, string, string)>();
        foreach (var file in Specs.SelectMany(TerraformModule.Render))
        {
            var block = "";
            foreach (var line in file.Content.Split('\n'))
            {
                if (BlockStart().Match(line) is { Success: true } start) block = start.Groups["type"].Value;
                var trimmed = line.TrimStart();
                if (trimmed.StartsWith('#') || trimmed.StartsWith("description", StringComparison.Ordinal)) continue;
                foreach (Match literal in Interpolated().Matches(line))
                    uses.Add((block, literal.Groups["before"].Value, literal.Groups["after"].Value, $"{file.RelativePath}: {line.Trim()}"));
                if (Bare().IsMatch(line)) uses.Add((block, "", "", $"{file.RelativePath}: {line.Trim()}"));
            }
        }
        return uses;
    }

    [Fact]
    public void Every_name_built_from_the_cluster_name_is_listed_with_its_limit()
    {
        var uses = Uses();
        uses.Should().HaveCountGreaterThan(8, "the module builds many names from the cluster name");
        foreach (var (block, prefix, suffix, line) in uses)
        {
            AwsDerivedNames.All.Should().Contain(n => n.Suffix == suffix && prefix.EndsWith(n.Prefix, StringComparison.Ordinal)
                                                     && (n.ResourceType == "tag key" || n.ResourceType == block),
                $"'{line}' builds a name from the cluster name; add it to AwsDerivedNames with AWS's limit");
        }
    }

    [Fact]
    public void No_listed_name_is_stale()
    {
        var uses = Uses();
        foreach (var name in AwsDerivedNames.All)
            uses.Should().Contain(u => u.Suffix == name.Suffix && u.Prefix.EndsWith(name.Prefix, StringComparison.Ordinal),
                $"{name} is listed but the module no longer builds it");
    }

    [Fact]
    public void The_longest_accepted_cluster_name_fits_every_derived_name()
    {
        var longest = new string('k', AwsDerivedNames.MaxClusterNameLength);
        foreach (var name in AwsDerivedNames.All)
            (name.Prefix + longest + name.Suffix).Length.Should().BeLessThanOrEqualTo(name.MaxLength, name.ToString());
        AwsDerivedNames.LengthProblem(longest).Should().BeNull();
        AwsDerivedNames.LengthProblem(longest + "k").Should().NotBeNull();
    }

    [GeneratedRegex(@"^\s*(?:resource|data)\s+""(?<type>[a-z0-9_]+)""|^\s*(?<type>locals|output|variable|provider|module)\b")]
    private static partial Regex BlockStart();

    [GeneratedRegex(@"""(?<before>[^""$]*)\$\{var\.cluster_name\}(?<after>[^""]*)""")]
    private static partial Regex Interpolated();

    [GeneratedRegex(@"=\s*var\.cluster_name\s*$")]
    private static partial Regex Bare();
}
