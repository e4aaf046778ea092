using System.Runtime.CompilerServices;
using k8s.Models;
using Kindling.Resources;

namespace Kindling.Tests.Resources;

public sealed class ManifestGoldenTests
{
    [Theory]
    [InlineData("default")]
    [InlineData("variant")]
    [InlineData("irsa")]
    [InlineData("eks")]
    [InlineData("history")]
    [InlineData("history4")]
    [InlineData("localstore")]
    public void Every_object_matches_its_golden_file(string variant)
    {
        var files = ManifestWriter.Render(EnvironmentManifests.Build(ManifestFixtures.ByName(variant)));

        foreach (var file in files)
        {
            Golden.Match($"resources/{variant}/{Path.GetFileName(file.RelativePath)}", file.Content);
        }

        // No stale golden file for an object that is no longer rendered.
        var goldenNames = Directory.GetFiles(Path.Combine(GoldenRoot(), "resources", variant), "*.yaml")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal);
        goldenNames.Should().Equal(files.Select(f => Path.GetFileName(f.RelativePath)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Files_are_named_in_apply_order_one_object_each()
    {
        var files = ManifestWriter.Render(EnvironmentManifests.Build(ManifestFixtures.Default()));

        files.Select(f => f.RelativePath).Should().Equal(
            "k8s/00-namespace-kindling.yaml",
            "k8s/01-serviceaccount-kindling-spark.yaml",
            "k8s/02-role-kindling-spark.yaml",
            "k8s/03-rolebinding-kindling-spark.yaml",
            "k8s/04-secret-kindling-jupyter-token.yaml",
            "k8s/05-persistentvolumeclaim-kindling-notebooks.yaml",
            "k8s/06-configmap-kindling-executor-pod-template.yaml",
            "k8s/07-service-kindling-jupyter.yaml",
            "k8s/08-service-kindling-driver.yaml",
            "k8s/09-networkpolicy-kindling-notebook.yaml",
            "k8s/10-deployment-kindling-jupyter.yaml");
        files.Should().OnlyContain(f => !f.Content.Contains("\n---") && f.Content.EndsWith('\n'));
    }

    [Fact]
    public void Two_builds_are_byte_identical()
    {
        var first = ManifestWriter.Render(EnvironmentManifests.Build(ManifestFixtures.Variant()));
        var second = ManifestWriter.Render(EnvironmentManifests.Build(ManifestFixtures.Variant()));

        second.Should().Equal(first);
    }

    [Fact]
    public void Extra_conf_order_does_not_change_the_output()
    {
        var inputs = ManifestFixtures.Variant();
        var reversed = inputs with
        {
            Spec = inputs.Spec with
            {
                Spark = inputs.Spec.Spark with { Conf = inputs.Spec.Spark.Conf.Reverse().ToDictionary() },
            },
        };

        ManifestWriter.Render(EnvironmentManifests.Build(reversed))
            .Should().Equal(ManifestWriter.Render(EnvironmentManifests.Build(inputs)));
    }

    [Fact]
    public void Writer_sorts_label_and_annotation_maps_without_touching_the_given_object()
    {
        var labels = new Dictionary<string, string> { ["zeta"] = "1", ["alpha"] = "2", ["mid"] = "3" };
        var configMap = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = "unsorted", Labels = labels, Annotations = new Dictionary<string, string>(labels) },
        };

        var content = ManifestWriter.Render([new Manifest(configMap, ApplyPhase.Foundation)]).Single().Content;

        content.IndexOf("alpha", StringComparison.Ordinal).Should().BeLessThan(content.IndexOf("mid", StringComparison.Ordinal));
        content.IndexOf("mid", StringComparison.Ordinal).Should().BeLessThan(content.IndexOf("zeta", StringComparison.Ordinal));
        content.LastIndexOf("alpha", StringComparison.Ordinal).Should().BeLessThan(content.LastIndexOf("zeta", StringComparison.Ordinal));
        configMap.Metadata.Labels.Should().BeSameAs(labels);
        labels.Keys.Should().Equal("zeta", "alpha", "mid");
    }

    [Fact]
    public void Only_the_token_secret_changes_when_the_token_changes()
    {
        var inputs = ManifestFixtures.Default();
        var before = ManifestWriter.Render(EnvironmentManifests.Build(inputs));
        var after = ManifestWriter.Render(EnvironmentManifests.Build(inputs with { JupyterToken = "another-token" }));

        var changed = before.Zip(after).Where(p => p.First.Content != p.Second.Content).Select(p => p.First.RelativePath);
        changed.Should().Equal("k8s/04-secret-kindling-jupyter-token.yaml");
    }

    // Golden.Directory() takes the caller's file path by default, so it is resolved from here explicitly.
    private static string GoldenRoot([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "Golden");
}
