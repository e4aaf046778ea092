using k8s.Models;
using Kindling.Configuration;

namespace Kindling.Tests.Doctor;

/// <summary><c>kindling doctor</c> against the fake API server and a fake registry: each broken thing gives its line and exit code.</summary>
public sealed class DoctorTests
{
    private const string Ns = "kindling";

    private static DoctorLine Line(IReadOnlyList<DoctorLine> lines, string check) => lines.Single(l => l.Check == check);

    [Fact]
    public async Task A_healthy_cluster_passes_every_check_and_exits_0()
    {
        await using var bed = await DoctorTestBed.StartAsync();

        var (result, lines) = await bed.JsonAsync();

        result.ExitCode.Should().Be(0, result.ToString());
        lines.Where(l => l.Check != "dns-probe").Should().OnlyContain(l => l.Status == "ok", result.Stdout);
        Line(lines, "storage-class").Found.Should().Contain("default StorageClass standard").And.Contain("rancher.io/local-path").And.Contain("1 of 1 controller pod(s)");
        Line(lines, "cluster-dns").Found.Should().Contain("kube-system/kube-dns").And.Contain("1 ready endpoint");
        // notebook 4Gi + driver 1g+max(0.4×1g,384Mi) + 2 x (2g + 0.4×2g): Spark's own sizes, overhead included.
        Line(lines, "capacity").Found.Should().Contain("driver pod (cpu 1, memory 1433Mi)").And.Contain("2 x executor pod (cpu 1, memory 2867Mi)");
        Line(lines, "images/spark").Found.Should().Contain($"{bed.Registry.Host}/spark:t1 exists (linux/amd64)");
        Line(lines, "image-versions/jupyter").Found.Should().Contain("Spark 3.5.5, Python 3.10");
        Line(lines, "node-architecture").Found.Should().Contain("1 amd64");
        Line(lines, "dns-probe").Status.Should().Be("warn");
    }

    [Fact]
    public async Task No_default_StorageClass_fails_with_the_classes_there_are_and_how_to_fix_it()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        bed.Kube.Objects.Update<V1StorageClass>(null, "standard", c => c.Metadata.Annotations.Remove("storageclass.kubernetes.io/is-default-class"));

        var (result, lines) = await bed.JsonAsync();

        result.ExitCode.Should().Be(1, result.ToString());
        var line = Line(lines, "storage-class");
        line.Status.Should().Be("fail");
        line.Found.Should().Contain("no default StorageClass").And.Contain("classes: standard").And.Contain("Pending");
        line.Fix.Should().Contain("notebook.storageClass: standard");
    }

    [Fact]
    public async Task A_provisioner_without_running_pods_fails()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        bed.Kube.Pods.Phase("local-path-storage", "local-path-provisioner-7dc846544d-fake1", "Pending");

        var (result, lines) = await bed.JsonAsync();

        result.ExitCode.Should().Be(1, result.ToString());
        Line(lines, "storage-class").Found.Should().Contain("no running controller pod (app=local-path-provisioner in local-path-storage");
    }

    [Fact]
    public async Task A_CSI_class_whose_driver_is_not_installed_fails()
    {
        await using var bed = await DoctorTestBed.StartAsync("notebook:\n  storageClass: gp3");
        bed.Kube.Objects.Create(new V1StorageClass { ApiVersion = "storage.k8s.io/v1", Kind = "StorageClass", Metadata = new V1ObjectMeta { Name = "gp3" }, Provisioner = "ebs.csi.aws.com" });

        var (result, lines) = await bed.JsonAsync();

        result.ExitCode.Should().Be(1, result.ToString());
        var line = Line(lines, "storage-class");
        line.Found.Should().Contain("StorageClass gp3 (notebook.storageClass)").And.Contain("no CSIDriver ebs.csi.aws.com is registered");
        line.Fix.Should().Contain("aws-ebs-csi-driver");

        bed.Kube.Objects.Create(new V1CSIDriver { ApiVersion = "storage.k8s.io/v1", Kind = "CSIDriver", Metadata = new V1ObjectMeta { Name = "ebs.csi.aws.com" }, Spec = new V1CSIDriverSpec() });
        bed.Kube.Objects.Create(new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = "ebs-csi-controller-1", Labels = new Dictionary<string, string> { ["app"] = "ebs-csi-controller" } },
            Spec = new V1PodSpec { NodeName = "fake-node-1", Containers = [new V1Container { Name = "ebs-plugin", Image = "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.37.0" }] },
            Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] },
        }, "kube-system", keepStatus: true);

        (result, lines) = await bed.JsonAsync();
        result.ExitCode.Should().Be(0, result.ToString());
        Line(lines, "storage-class").Found.Should().Contain("1 of 1 controller pod(s) (app=ebs-csi-controller in kube-system) running");
    }

    [Fact]
    public async Task Too_little_capacity_fails_with_the_real_pod_sizes()
    {
        await using var bed = await DoctorTestBed.StartAsync("spark:\n  executors:\n    instances: 6\n    memory: 3g");

        var (result, lines) = await bed.JsonAsync();

        result.ExitCode.Should().Be(1, result.ToString());
        var line = Line(lines, "capacity");
        line.Status.Should().Be("fail");
        line.Found.Should().Contain("6 x executor pod (cpu 1, memory 4300Mi)").And.Contain("do not fit on 1 node(s) with cpu 4, memory 16Gi allocatable");
        line.Fix.Should().Contain("spark.executors");
    }

    [Fact]
    public async Task An_executor_larger_than_any_node_fails_naming_it()
    {
        await using var bed = await DoctorTestBed.StartAsync("spark:\n  executors:\n    memory: 16g");

        var (result, lines) = await bed.JsonAsync();

        result.ExitCode.Should().Be(1, result.ToString());
        Line(lines, "capacity").Found.Should().Contain("the executor pod (cpu 1, memory 22937Mi) fits on no node");
    }

    [Fact]
    public async Task A_missing_permission_fails_naming_it()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        bed.Kube.Permissions.Deny("create", "pods", Ns);
        bed.Kube.Permissions.Deny("get", "pods/log", Ns);

        var (result, lines) = await bed.JsonAsync();

        result.ExitCode.Should().Be(1, result.ToString());
        var line = Line(lines, "permissions");
        line.Status.Should().Be("fail");
        line.Found.Should().Contain("2 of the").And.Contain("create pods in kindling").And.Contain("get pods/log in kindling");
    }

    [Fact]
    public async Task An_image_that_does_not_exist_fails_and_its_versions_are_not_judged()
    {
        await using var bed = await DoctorTestBed.StartAsync(pushImages: false);
        bed.PushSpark();

        var (result, lines) = await bed.JsonAsync();

        result.ExitCode.Should().Be(1, result.ToString());
        Line(lines, "images/spark").Status.Should().Be("ok");
        var jupyter = Line(lines, "images/jupyter");
        jupyter.Status.Should().Be("fail");
        jupyter.Found.Should().Contain($"{bed.Registry.Host}/jupyter:t1 does not exist").And.Contain("ErrImagePull");
        jupyter.Fix.Should().Contain("kindling images push");
        Line(lines, "image-versions/jupyter").Status.Should().Be("warn");
        bed.Registry.Requests.Should().Contain("HEAD /v2/jupyter/manifests/t1");
    }

    [Fact]
    public async Task Images_of_other_versions_or_another_architecture_fail()
    {
        await using var bed = await DoctorTestBed.StartAsync(pushImages: false);
        bed.PushSpark("3.5.4", "3.11", "linux/arm64");
        bed.PushJupyter();

        var (result, lines) = await bed.JsonAsync();

        result.ExitCode.Should().Be(1, result.ToString());
        Line(lines, "image-versions/spark").Found.Should().Contain("Spark 3.5.4 where spark.version is 3.5.5").And.Contain("Python 3.11 where spark.pythonVersion is 3.10");
        Line(lines, "image-versions/jupyter").Status.Should().Be("ok");
        Line(lines, "node-architecture").Found.Should().Contain("the spark image is built for arm64 but 1 node(s) are amd64 (fake-node-1)").And.Contain("exec format error");
    }

    [Fact]
    public async Task A_registry_that_wants_a_login_is_asked_with_the_docker_login_and_never_shows_it()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        bed.Registry.RequireLogin = ("robot", "s3cret-pass-Zq8");
        var docker = bed.Cluster.Dir.Write(".docker/config.json",
            $"{{\"auths\":{{\"{bed.Registry.Host}\":{{\"auth\":\"{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("robot:s3cret-pass-Zq8"))}\"}}}}}}");

        var (anonymous, anonymousLines) = await bed.JsonAsync(new Dictionary<string, string?> { ["DOCKER_CONFIG"] = bed.Cluster.Dir.File("nowhere") });
        Line(anonymousLines, "images/spark").Status.Should().Be("warn");
        Line(anonymousLines, "images/spark").Found.Should().Contain("refused access").And.Contain("no docker login");

        var (result, lines) = await bed.JsonAsync(new Dictionary<string, string?> { ["DOCKER_CONFIG"] = Path.GetDirectoryName(docker) });
        result.ExitCode.Should().Be(0, result.ToString());
        Line(lines, "images/spark").Status.Should().Be("ok");
        (result.Stdout + result.Stderr + anonymous.Stdout + anonymous.Stderr).Should().NotContain("s3cret-pass-Zq8");
    }

    [Fact]
    public async Task A_ResourceQuota_that_rejects_the_pods_fails_naming_the_limit()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        bed.Kube.Objects.Create(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = Ns } });
        bed.Kube.Objects.Create(new V1ResourceQuota
        {
            ApiVersion = "v1", Kind = "ResourceQuota", Metadata = new V1ObjectMeta { Name = "team-quota" },
            Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["requests.memory"] = new("8Gi"), ["pods"] = new("10") } },
        }, Ns);

        var (result, lines) = await bed.JsonAsync();

        result.ExitCode.Should().Be(1, result.ToString());
        var line = Line(lines, "resource-quota");
        line.Status.Should().Be("fail");
        line.Found.Should().Contain("ResourceQuota team-quota allows requests.memory 8Gi").And.Contain("notebook 4Gi + driver 1433Mi + 2 x executor 2867Mi");
    }

    [Fact]
    public async Task A_quota_on_cpu_limits_fails_because_Spark_pods_set_none()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        bed.Kube.Objects.Create(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = Ns } });
        bed.Kube.Objects.Create(new V1ResourceQuota
        {
            ApiVersion = "v1", Kind = "ResourceQuota", Metadata = new V1ObjectMeta { Name = "limits" },
            Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["limits.cpu"] = new("100") } },
        }, Ns);

        var (_, lines) = await bed.JsonAsync();

        Line(lines, "resource-quota").Found.Should().Contain("every container must set limits.cpu").And.Contain("spark-kubernetes-driver");
    }

    [Fact]
    public async Task A_LimitRange_max_below_the_executor_size_fails_naming_the_executor()
    {
        await using var bed = await DoctorTestBed.StartAsync("notebook:\n  memory: 2Gi");
        bed.Kube.Objects.Create(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = Ns } });
        bed.Kube.Objects.Create(new V1LimitRange
        {
            ApiVersion = "v1", Kind = "LimitRange", Metadata = new V1ObjectMeta { Name = "per-container" },
            Spec = new V1LimitRangeSpec { Limits = [new V1LimitRangeItem { Type = "Container", Max = new Dictionary<string, ResourceQuantity> { ["memory"] = new("2Gi") } }] },
        }, Ns);

        var (result, lines) = await bed.JsonAsync();

        result.ExitCode.Should().Be(1, result.ToString());
        var line = Line(lines, "limit-range");
        line.Found.Should().Contain("the executor pod (cpu 1, memory 2867Mi) would be rejected")
            .And.Contain("its container spark-kubernetes-executor has memory limit 2867Mi, above LimitRange per-container's max 2Gi per Container");
        lines.Where(l => l.Check == "limit-range").Should().ContainSingle("the notebook (2Gi) and driver (1433Mi) are within the max");
    }

    [Fact]
    public async Task Istio_injection_on_the_namespace_warns_and_does_not_fail()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        bed.Kube.Objects.Create(new V1Namespace
        {
            ApiVersion = "v1", Kind = "Namespace",
            Metadata = new V1ObjectMeta { Name = Ns, Labels = new Dictionary<string, string> { ["istio-injection"] = "enabled" } },
        });

        var (result, lines) = await bed.JsonAsync();

        result.ExitCode.Should().Be(0, result.ToString());
        var line = Line(lines, "istio");
        line.Status.Should().Be("warn");
        line.Found.Should().Contain("istio-injection=enabled");
    }

    [Fact]
    public async Task Missing_cluster_DNS_fails()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        bed.Kube.Objects.Update<V1EndpointSlice>("kube-system", "kube-dns-fake1", s => s.Endpoints[0].Conditions.Ready = false);

        var (result, lines) = await bed.JsonAsync();

        result.ExitCode.Should().Be(1, result.ToString());
        Line(lines, "cluster-dns").Found.Should().Contain("has no ready endpoints");
    }

    [Fact]
    public async Task Text_output_has_one_line_per_check_with_the_fix_under_failures()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        bed.Kube.Permissions.Deny("create", "pods", Ns);

        var result = await bed.DoctorAsync("--no-dns-probe");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stdout.Should().MatchRegex(@"(?m)^  FAIL  permissions\s+1 of the \d+ permissions up and submit need are missing: create pods in kindling$");
        result.Stdout.Should().MatchRegex(@"(?m)^\s+fix: ask a cluster admin");
        result.Stdout.Should().MatchRegex(@"(?m)^  ok    storage-class\s+default StorageClass standard");
        result.Stdout.Should().Contain("1 failure(s).");
    }

    [Fact]
    public async Task The_json_shape_is_pinned()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        bed.Kube.Permissions.Deny("create", "pods", Ns);

        var result = await bed.DoctorAsync("-o", "json", "--no-dns-probe");

        result.ExitCode.Should().Be(1, result.ToString());
        var normalized = result.Stdout
            .Replace(bed.Registry.Host, "REGISTRY", StringComparison.Ordinal)
            .Replace(bed.Kube.Uri.ToString().TrimEnd('/'), "https://FAKE-KUBE", StringComparison.Ordinal)
            .Replace(bed.Cluster.Kubeconfig, "KUBECONFIG", StringComparison.Ordinal);
        Golden.Match("doctor/doctor.json", normalized);
    }
}
