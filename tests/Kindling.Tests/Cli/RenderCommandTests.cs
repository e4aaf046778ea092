using System.Text.Json;
using Kindling.Configuration;

namespace Kindling.Tests.Cli;

public sealed class RenderCommandTests
{
    [Fact]
    public async Task Render_without_config_writes_the_complete_environment()
    {
        using var dir = new TempDir();
        var result = await CliHarness.RunAsync(dir.Path, "render");
        result.ExitCode.Should().Be(0, result.ToString());

        var root = dir.File("kindling-out");
        string[] expected =
        [
            "terraform/versions.tf", "terraform/variables.tf", "terraform/main.tf", "terraform/outputs.tf",
            "images/spark/Dockerfile", "images/jupyter/Dockerfile", "images/jupyter/00-kindling-spark.py",
            "notebooks/pi.ipynb", "notebooks/00-kindling-spark.py",
        ];
        foreach (var file in expected) File.Exists(Path.Combine(root, file)).Should().BeTrue($"{file} should be rendered");
        var kinds = Directory.GetFiles(Path.Combine(root, "k8s"), "*.yaml")
            .Select(f => File.ReadLines(f).First(l => l.StartsWith("kind: ", StringComparison.Ordinal))[6..]).ToList();
        kinds.Should().BeEquivalentTo(["Namespace", "ServiceAccount", "Role", "RoleBinding", "Secret", "PersistentVolumeClaim",
            "ConfigMap", "Service", "Service", "NetworkPolicy", "Deployment"]);

        result.Stdout.Should().Contain("built-in defaults").And.Contain("Namespace:  kindling")
            .And.Contain("Executors:  2 x 1 core(s), 2g memory");
    }

    [Fact]
    public async Task Render_never_writes_a_token_and_says_why_in_the_secret_file()
    {
        using var dir = new TempDir();
        var run = await CliHarness.RunAsync(dir.Path, "render", "-o", "json");

        run.ExitCode.Should().Be(0, run.ToString());
        var secretFile = Directory.GetFiles(dir.File("kindling-out/k8s"), "*-secret-*.yaml").Single();
        var text = File.ReadAllText(secretFile);
        text.Should().StartWith("# This Secret is rendered without the Jupyter token").And.Contain("kubectl -n kindling create secret generic kindling-jupyter-token");
        var secret = Kindling.Resources.KubeYaml.Deserialize<k8s.Models.V1Secret>(text);
        secret.Data.Should().BeNull("no token on disk");
        secret.StringData.Should().BeNull();
        var state = new LocalStateStore(dir.File(".kindling"));
        (File.Exists(state.FilePath) ? File.ReadAllText(state.FilePath) : "").Should().NotContainEquivalentOf("token");
    }

    [Fact]
    public async Task Rendering_is_deterministic_and_a_rerender_changes_nothing()
    {
        using var dir = new TempDir();
        (await CliHarness.RunAsync(dir.Path, "render", "--output-dir", "a")).ExitCode.Should().Be(0);
        (await CliHarness.RunAsync(dir.Path, "render", "--output-dir", "b")).ExitCode.Should().Be(0);
        var a = ReadTree(dir.File("a"));
        a.Should().Equal(ReadTree(dir.File("b")));

        var again = await CliHarness.RunAsync(dir.Path, "render", "--output-dir", "a", "-o", "json");
        using var json = JsonDocument.Parse(again.Stdout);
        json.RootElement.GetProperty("files").EnumerateArray()
            .Select(f => f.GetProperty("change").GetString()).Distinct().Should().Equal("unchanged");
    }

    [Fact]
    public async Task Json_output_describes_files_images_namespace_and_sizing()
    {
        using var dir = new TempDir();
        dir.Write("kindling.yaml", "namespace: analytics\nimages:\n  registry: registry.example.com/team\n  tag: v1\nspark:\n  executors:\n    instances: 4\n");
        var result = await CliHarness.RunAsync(dir.Path, "render", "-o", "json");
        result.ExitCode.Should().Be(0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        root.GetProperty("namespace").GetString().Should().Be("analytics");
        root.GetProperty("configSource").GetString().Should().Be(dir.File("kindling.yaml"));
        root.GetProperty("images").GetProperty("spark").GetString().Should().Be("registry.example.com/team/spark:v1");
        root.GetProperty("images").GetProperty("jupyterSource").GetString().Should().Be("registry");
        root.GetProperty("executors").GetProperty("instances").GetInt32().Should().Be(4);
        root.GetProperty("files").GetArrayLength().Should().BeGreaterThan(15);
        File.ReadAllText(dir.File("kindling-out/k8s/" + Path.GetFileName(Directory.GetFiles(dir.File("kindling-out/k8s"), "*deployment*")[0])))
            .Should().Contain("registry.example.com/team/jupyter:v1");
    }

    [Fact]
    public async Task Bad_config_exits_2_and_writes_nothing()
    {
        using var dir = new TempDir();
        dir.Write("kindling.yaml", "spark:\n  executors:\n    memroy: 2g\n");
        var result = await CliHarness.RunAsync(dir.Path, "render");
        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("kindling.yaml:3:5 spark.executors.memroy: unknown key 'memroy' under 'spark.executors'; did you mean 'memory'?");
        Directory.Exists(dir.File("kindling-out")).Should().BeFalse();
        Directory.Exists(dir.File(".kindling")).Should().BeFalse("not even the token is created for bad input");
    }

    [Fact]
    public async Task Files_a_config_change_no_longer_renders_are_removed_but_user_files_stay()
    {
        using var dir = new TempDir();
        dir.Write("kindling.yaml", "name: first\n");
        (await CliHarness.RunAsync(dir.Path, "render")).ExitCode.Should().Be(0);
        var before = ReadTree(dir.File("kindling-out")).Keys.ToList();
        dir.Write("kindling-out/k8s/my-notes.txt", "mine");
        dir.Write("kindling.yaml", "name: second\n");

        var result = await CliHarness.RunAsync(dir.Path, "render", "-o", "json");
        result.ExitCode.Should().Be(0, result.ToString());
        var after = ReadTree(dir.File("kindling-out"));
        after.Keys.Should().Contain("k8s/my-notes.txt");
        var renamed = before.Where(p => p.Contains("first", StringComparison.Ordinal)).ToList();
        renamed.Should().NotBeEmpty();
        after.Keys.Should().NotContain(renamed);
        result.Stdout.Should().Contain("\"removed\"");
    }

    private static SortedDictionary<string, string> ReadTree(string root) =>
        new(Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith(".kindling", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText), StringComparer.Ordinal);
}
