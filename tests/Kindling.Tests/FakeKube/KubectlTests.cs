using System.Diagnostics;
using Kindling.Testing;

namespace Kindling.Tests.FakeKube;

/// <summary>kubectl (a second, independent client) works against the fake through the written kubeconfig.</summary>
public sealed class KubectlTests
{
    [Fact]
    public async Task Kubectl_discovers_gets_applies_and_deletes()
    {
        var kubectl = RequiredTool.Find("kubectl", "install kubectl 1.32 (https://kubernetes.io/docs/tasks/tools/)");
        await using var h = await FakeKubeHarness.StartAsync();

        (await RunAsync(kubectl, h, "get", "namespaces", "-o", "name")).Should().Contain("namespace/team");

        var manifest = Path.Combine(Path.GetDirectoryName(h.KubeconfigPath)!, "cm.yaml");
        await File.WriteAllTextAsync(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\n  labels:\n    app: x\ndata:\n  a: \"1\"\n");
        (await RunAsync(kubectl, h, "apply", "--server-side", "--validate=false", "-f", manifest)).Should().Contain("serverside-applied");
        (await RunAsync(kubectl, h, "get", "configmap", "conf", "-o", "jsonpath={.data.a}")).Should().Be("1");
        (await RunAsync(kubectl, h, "get", "configmaps", "-l", "app=x", "-o", "name")).Should().Contain("configmap/conf");
        (await RunAsync(kubectl, h, "delete", "configmap", "conf")).Should().Contain("deleted");
        h.Kube.Requests.Count(r => r.FieldManager == "kubectl" && r.Verb == "patch").Should().Be(1);
    }

    private static async Task<string> RunAsync(string kubectl, FakeKubeHarness h, params string[] args)
    {
        var start = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(h.KubeconfigPath);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, $"kubectl {string.Join(' ', args)} failed: {await stderr}");
        return await stdout;
    }
}
