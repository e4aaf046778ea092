using System.Reflection;
using Kindling.Configuration;
using YamlDotNet.RepresentationModel;

namespace Kindling.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    [Fact]
    public void Init_template_parses_back_to_the_defaults()
    {
        var spec = ConfigLoader.Parse(ConfigTemplate.Render(new EnvironmentSpec()), "kindling.yaml");
        Canonical(spec).Should().Be(Canonical(new EnvironmentSpec()));
    }

    [Fact]
    public void Init_template_shows_every_configurable_key()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(ConfigTemplate.Render(new EnvironmentSpec())));
        var written = new HashSet<string>();
        Collect((YamlMappingNode)stream.Documents[0].RootNode, "", written);
        var expected = SchemaPaths(typeof(EnvironmentSpec), "").ToList();
        expected.Should().NotBeEmpty();
        written.Should().Contain(expected);
    }

    [Fact]
    public void Template_of_a_customised_spec_round_trips()
    {
        var custom = new EnvironmentSpec
        {
            Name = "analytics",
            Spark = new SparkSpec
            {
                Image = "registry.example.com/spark:1",
                Conf = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["spark.sql.shuffle.partitions"] = "64" },
            },
            Notebook = new NotebookSpec { StorageClass = "gp3" },
            Aws = new AwsSpec { S3Buckets = ["raw-data", "curated.example"] },
        };
        Canonical(ConfigLoader.Parse(ConfigTemplate.Render(custom), "k.yaml")).Should().Be(Canonical(custom));
    }

    [Fact]
    public void A_partial_file_overrides_only_what_it_sets()
    {
        var spec = ConfigLoader.Parse("""
            namespace: analytics
            spark:
              executors:
                instances: 5
                memory: 4g
              conf:
                spark.sql.adaptive.enabled: "true"
            aws:
              endpoint: http://127.0.0.1:5000
            """, "k.yaml");
        spec.Namespace.Should().Be("analytics");
        spec.Spark.Executors.Should().Be(new ExecutorSpec { Instances = 5, Memory = "4g" });
        spec.Spark.Conf.Should().Equal(new Dictionary<string, string> { ["spark.sql.adaptive.enabled"] = "true" });
        spec.Aws.Endpoint.Should().Be("http://127.0.0.1:5000");
        spec.Spark.Version.Should().Be(new SparkSpec().Version);
        spec.Aws.AvailabilityZones.Should().BeEquivalentTo(new AwsSpec().AvailabilityZones);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    public void An_empty_file_means_the_defaults(string yaml) =>
        Canonical(ConfigLoader.Parse(yaml, "k.yaml")).Should().Be(Canonical(new EnvironmentSpec()));

    [Fact]
    public void Without_a_file_the_builtin_defaults_are_used()
    {
        using var dir = new TempDir();
        var loaded = ConfigLoader.LoadOrDefaults(null, dir.Path);
        loaded.SourcePath.Should().BeNull();
        Canonical(loaded.Spec).Should().Be(Canonical(new EnvironmentSpec()));
    }

    [Fact]
    public void Kindling_yaml_in_the_working_directory_is_picked_up()
    {
        using var dir = new TempDir();
        dir.Write("kindling.yaml", "namespace: picked\n");
        var loaded = ConfigLoader.LoadOrDefaults(null, dir.Path);
        loaded.Spec.Namespace.Should().Be("picked");
        loaded.SourcePath.Should().Be(dir.File("kindling.yaml"));
    }

    [Fact]
    public void A_missing_explicit_file_is_bad_input()
    {
        using var dir = new TempDir();
        var act = () => ConfigLoader.LoadOrDefaults("nope.yaml", dir.Path);
        act.Should().Throw<ConfigValidationException>().Which.Message.Should().Contain("nope.yaml does not exist");
    }

    [Fact]
    public void Errors_name_the_file_as_the_user_typed_it()
    {
        using var dir = new TempDir();
        dir.Write("conf/env.yaml", "spark:\n  executors:\n    instances: 0\n");
        var act = () => ConfigLoader.LoadOrDefaults("conf/env.yaml", dir.Path);
        act.Should().Throw<ConfigValidationException>().Which.Errors.Single().ToString()
            .Should().Be("conf/env.yaml:3:16 spark.executors.instances: must be greater than 0");
    }

    /// <summary>A value-based rendering of a spec (records compare collections by reference).</summary>
    private static string Canonical(EnvironmentSpec spec) => System.Text.Json.JsonSerializer.Serialize(spec);

    private static void Collect(YamlMappingNode map, string prefix, HashSet<string> paths)
    {
        foreach (var (k, v) in map.Children)
        {
            var path = prefix.Length == 0 ? ((YamlScalarNode)k).Value! : $"{prefix}.{((YamlScalarNode)k).Value}";
            paths.Add(path);
            if (v is YamlMappingNode child) Collect(child, path, paths);
            if (v is YamlSequenceNode { Children.Count: > 0 } seq && seq.Children[0] is YamlMappingNode item) Collect(item, path + "[]", paths);
        }
    }

    private static IEnumerable<string> SchemaPaths(Type type, string prefix)
    {
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var path = (prefix.Length == 0 ? "" : prefix + ".") + char.ToLowerInvariant(p.Name[0]) + p.Name[1..];
            yield return path;
            var t = p.PropertyType;
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
                foreach (var inner in SchemaPaths(t.GetGenericArguments()[0], path + "[]")) yield return inner;
            // A section that is off unless given (null by default, e.g. aws.executorNodes) is shown by its comment's
            // example: writing its keys would turn it on.
            else if (t.IsClass && t != typeof(string) && t.Namespace == typeof(EnvironmentSpec).Namespace
                     && new NullabilityInfoContext().Create(p).WriteState != NullabilityState.Nullable)
                foreach (var inner in SchemaPaths(t, path)) yield return inner;
        }
    }
}
