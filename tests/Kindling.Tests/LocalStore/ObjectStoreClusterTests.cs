using System.Net;
using System.Text;
using System.Text.Json;
using k8s.Models;
using Kindling.Configuration;
using Kindling.Resources;
using Kindling.Testing;
using Kindling.Testing.Processes;
using Kindling.Tests.Cluster;
using Kindling.Tests.Resources;

namespace Kindling.Tests.LocalStore;

/// <summary>
/// <c>storage.local</c> against the fake API server (Pod Security "restricted" enforced on the namespace): <c>up</c>
/// creates the store with fresh credentials it never prints and never rewrites, <c>down</c> keeps its volume and
/// credentials unless <c>--purge</c>, and <c>doctor</c> checks the store over S3 (moto's S3 API behind the
/// port-forward) with the credentials from the cluster.
/// </summary>
public sealed class ObjectStoreClusterTests
{
    private const string Store = "kindling-s3";

    private static async Task<ClusterTestBed> BedAsync()
    {
        var bed = await ClusterTestBed.StartAsync();
        bed.Dir.Write("kindling.yaml", "cluster:\n  kind: kind\nstorage:\n  local: true\n");
        return bed;
    }

    private static (string Id, string Key) Credentials(ClusterTestBed bed)
    {
        var data = bed.Kube.Objects.Get<V1Secret>(ClusterTestBed.Ns, Store)!.Data;
        return (Encoding.UTF8.GetString(data[ObjectStoreNames.AccessKeyIdKey]), Encoding.UTF8.GetString(data[ObjectStoreNames.SecretAccessKeyKey]));
    }

    [Fact]
    public async Task Up_creates_the_store_keeps_its_credentials_and_down_keeps_its_volume_unless_purge()
    {
        await using var bed = await BedAsync();

        var up = await bed.RunAsync("up", "--timeout", "60s");

        up.ExitCode.Should().Be(0, up.ToString());
        bed.Kube.Objects.Exists<V1Deployment>(ClusterTestBed.Ns, Store).Should().BeTrue();
        bed.Kube.Objects.Exists<V1PersistentVolumeClaim>(ClusterTestBed.Ns, Store).Should().BeTrue();
        bed.Kube.Objects.Exists<V1NetworkPolicy>(ClusterTestBed.Ns, Store).Should().BeTrue();
        var (id, key) = Credentials(bed);
        id.Should().HaveLength(20);
        key.Should().HaveLength(40);
        (up.Stdout + up.Stderr).Should().NotContain(key).And.NotContain(id);

        var again = await bed.RunAsync("up", "--timeout", "60s");
        again.ExitCode.Should().Be(0, again.ToString());
        Credentials(bed).Should().Be((id, key), "the Secret is created once and never rewritten");

        var down = await bed.RunAsync("down", "--yes");
        down.ExitCode.Should().Be(0, down.ToString());
        bed.Kube.Objects.Exists<V1Deployment>(ClusterTestBed.Ns, Store).Should().BeFalse();
        bed.Kube.Objects.Exists<V1PersistentVolumeClaim>(ClusterTestBed.Ns, Store).Should().BeTrue("the store's data is kept like the notebooks'");
        bed.Kube.Objects.Exists<V1Secret>(ClusterTestBed.Ns, Store).Should().BeTrue("the kept data needs its credentials");
        down.Stdout.Should().Contain("object store's credentials");

        var back = await bed.RunAsync("up", "--timeout", "60s");
        back.ExitCode.Should().Be(0, back.ToString());
        Credentials(bed).Should().Be((id, key), "a later up finds the kept credentials");

        var purge = await bed.RunAsync("down", "--purge", "--yes");
        purge.ExitCode.Should().Be(0, purge.ToString());
        bed.Kube.Objects.Exists<V1PersistentVolumeClaim>(ClusterTestBed.Ns, Store).Should().BeFalse();
        bed.Kube.Objects.Exists<V1Secret>(ClusterTestBed.Ns, Store).Should().BeFalse();
    }

    [Fact]
    public async Task Doctor_checks_that_the_store_answers_and_holds_the_log_directories()
    {
        await using var bed = await BedAsync();
        await using var moto = await MotoServer.StartAsync();

        var before = ObjectStoreLine(await bed.RunAsync("doctor", "-o", "json", "--no-dns-probe"));
        before.GetProperty("status").GetString().Should().Be("warn");
        before.GetProperty("fix").GetString().Should().Contain("kindling up");

        (await bed.RunAsync("up", "--timeout", "60s")).ExitCode.Should().Be(0);
        var motoUri = new Uri(moto.Endpoint);
        bed.Kube.PortForward.MapAnyPod(ObjectStoreNames.Port, new IPEndPoint(IPAddress.Loopback, motoUri.Port));

        var empty = ObjectStoreLine(await bed.RunAsync("doctor", "-o", "json", "--no-dns-probe"));
        empty.GetProperty("status").GetString().Should().Be("fail");
        empty.GetProperty("found").GetString().Should().Contain("bucket kindling is missing");

        // What the store pod's postStart hook does, with the credentials up put in the cluster.
        var (id, key) = Credentials(bed);
        var hook = await ToolRun.RunAsync(RequiredTool.Find("sh", "a POSIX shell"), ["-c", ObjectStoreDirectories.Script(ManifestFixtures.LocalStore().Spec, moto.Endpoint)],
            Path.GetTempPath(), new Dictionary<string, string?>(MotoServer.ClientEnvironment) { ["AWS_ACCESS_KEY_ID"] = id, ["AWS_SECRET_ACCESS_KEY"] = key });
        hook.ExitCode.Should().Be(0, hook.ToString());

        var result = await bed.RunAsync("doctor", "-o", "json", "--no-dns-probe");
        var ready = ObjectStoreLine(result);
        ready.GetProperty("status").GetString().Should().Be("ok", ready.ToString());
        ready.GetProperty("found").GetString().Should().Contain("http://kindling-s3.kindling.svc:8333").And.Contain("log directories exist");
        (result.Stdout + result.Stderr).Should().NotContain(key);
    }

    [Fact]
    public void A_cluster_detected_as_eks_refuses_the_store_and_names_the_override()
    {
        var spec = new EnvironmentSpec { Storage = new StorageSpec { Local = true } };

        var error = StorageValidator.OnDetectedCluster(spec, ClusterKinds.Eks, "context arn:aws:eks:eu-west-1:1:cluster/x");

        error!.Path.Should().Be("storage.local");
        error.Message.Should().Contain("Amazon S3 is the object store").And.Contain("cluster.kind: other");
        StorageValidator.OnDetectedCluster(spec, ClusterKinds.Kind, "").Should().BeNull();
        StorageValidator.OnDetectedCluster(spec, ClusterKinds.Other, "").Should().BeNull();
        StorageValidator.OnDetectedCluster(new EnvironmentSpec(), ClusterKinds.Eks, "").Should().BeNull();
    }

    private static JsonElement ObjectStoreLine(Kindling.Tests.Cli.CliResult result)
    {
        using var doc = JsonDocument.Parse(result.Stdout);
        return doc.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("check").GetString() == "object-store").Clone();
    }
}
