using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kindling.Resources;
using Kindling.Spark;
using Kindling.Tests.Resources;
using Kindling.Tests.Spark;

namespace Kindling.Tests.FakeKube;

/// <summary>
/// Issue 9 §4: in the namespace Kindling labels <c>pod-security.kubernetes.io/enforce: restricted</c>, the fake's
/// PodSecurity admission admits the notebook pod, driver pods and executor pods built from the executor pod
/// template the way Spark builds them, and rejects a non-compliant pod with the API server's message.
/// </summary>
public sealed class PodSecurityAdmissionTests
{
    private const string Ns = "kindling";

    private static async Task<FakeKubeHarness> StartAsync()
    {
        var h = await FakeKubeHarness.StartAsync();
        var ns = EnvironmentManifests.Build(ManifestFixtures.Default()).Select(m => m.Object).OfType<V1Namespace>().Single();
        ns.Metadata.Labels[SparkPodSecurity.EnforceLabel].Should().Be("restricted");
        await h.Client.CoreV1.CreateNamespaceAsync(ns);
        return h;
    }

    private static async Task<string> RejectionAsync(Func<Task> create)
    {
        var e = (await create.Should().ThrowAsync<HttpOperationException>()).Which;
        ((int)e.Response.StatusCode).Should().Be(403);
        using var status = JsonDocument.Parse(e.Response.Content);
        status.RootElement.GetProperty("reason").GetString().Should().Be("Forbidden");
        return status.RootElement.GetProperty("message").GetString()!;
    }

    [Fact]
    public async Task The_notebook_pod_is_admitted_and_its_deployment_gets_a_running_pod()
    {
        await using var h = await StartAsync();
        var deployment = EnvironmentManifests.Build(ManifestFixtures.Default()).Select(m => m.Object).OfType<V1Deployment>().Single();

        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "notebook", Labels = deployment.Spec.Template.Metadata.Labels }, Spec = deployment.Spec.Template.Spec };
        await h.Client.CoreV1.CreateNamespacedPodAsync(pod, Ns);

        await h.Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, Ns);
        await h.Kube.Objects.WaitForAsync<V1Pod>(Ns, p => p.Metadata.OwnerReferences?.Any(o => o.Kind == "ReplicaSet") == true);
    }

    [Theory]
    [InlineData("3.5.5")]
    [InlineData("4.0.1")]
    public async Task Driver_pods_and_executors_built_from_the_shipped_template_are_admitted(string version)
    {
        await using var h = await StartAsync();
        var conf = new Dictionary<string, string> { ["spark.kubernetes.executor.podTemplateFile"] = "executor-template.yaml" };
        foreach (var templates in new[] { SparkPodTemplates.None, new SparkPodTemplates(null, SparkPodTemplate.Parse(DriverPodConfTests.ExecutorTemplate, "--conf x", "t.yaml")) })
        {
            var submission = DriverPodConfTests.Submit(templates.Executor is null ? [] : conf, version, templates);
            var driver = submission.DriverPod;
            driver.Metadata.NamespaceProperty = Ns;
            var created = await h.Client.CoreV1.CreateNamespacedPodAsync(driver, Ns);

            var template = submission.ExecutorTemplateConfigMap!.Data["podspec-configmap-key"];
            var executor = SparkExecutorPods.FromTemplate(template, submission.Conf, created, executorId: 1);
            await h.Client.CoreV1.CreateNamespacedPodAsync(executor, Ns);
            await h.Client.CoreV1.DeleteNamespacedPodAsync(executor.Metadata.Name, Ns);
            await h.Client.CoreV1.DeleteNamespacedPodAsync(driver.Metadata.Name, Ns);
        }
    }

    [Fact]
    public async Task Notebook_session_executors_built_from_the_environment_template_are_admitted()
    {
        await using var h = await StartAsync();
        var map = EnvironmentManifests.Build(ManifestFixtures.Default()).Select(m => m.Object).OfType<V1ConfigMap>().Single();
        var owner = await h.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "owner" },
            Spec = new V1PodSpec { SecurityContext = SparkPodSecurity.Pod(), Containers = [new V1Container { Name = "c", Image = "i:1", SecurityContext = SparkPodSecurity.Container() }] },
        }, Ns);
        var conf = new Dictionary<string, string> { [SparkConfKeys.ContainerImage] = "spark:3.5.5", [SparkConfKeys.AppId] = "spark-0123", [SparkConfKeys.ExecutorPodNamePrefix] = "nb-abc" };

        await h.Client.CoreV1.CreateNamespacedPodAsync(SparkExecutorPods.FromTemplate(map.Data[ExecutorPodTemplateConfigMap.Key], conf, owner, 1), Ns);
    }

    [Fact]
    public async Task A_pod_without_a_security_context_is_rejected_with_the_api_servers_message()
    {
        await using var h = await StartAsync();
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "plain" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox:1" }] } };

        var message = await RejectionAsync(() => h.Client.CoreV1.CreateNamespacedPodAsync(pod, Ns));

        message.Should().Be("pods \"plain\" is forbidden: violates PodSecurity \"restricted:latest\": "
            + "allowPrivilegeEscalation != false (container \"main\" must set securityContext.allowPrivilegeEscalation=false), "
            + "unrestricted capabilities (container \"main\" must set securityContext.capabilities.drop=[\"ALL\"]), "
            + "runAsNonRoot != true (pod or container \"main\" must set securityContext.runAsNonRoot=true), "
            + "seccompProfile (pod or container \"main\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
        (await h.Client.CoreV1.ListNamespacedPodAsync(Ns)).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task A_driver_with_a_host_path_volume_is_rejected_because_restricted_forbids_the_volume_type()
    {
        await using var h = await StartAsync();
        var submission = DriverPodConfTests.Submit(new Dictionary<string, string>
        {
            ["spark.kubernetes.driver.volumes.hostPath.host-data.mount.path"] = "/data",
            ["spark.kubernetes.driver.volumes.hostPath.host-data.options.path"] = "/mnt/data",
        });

        submission.DriverPod.Metadata.NamespaceProperty = Ns;

        var message = await RejectionAsync(() => h.Client.CoreV1.CreateNamespacedPodAsync(submission.DriverPod, Ns));

        message.Should().Be($"pods \"{submission.DriverPod.Metadata.Name}\" is forbidden: violates PodSecurity \"restricted:latest\": "
            + "hostPath volumes (volume \"host-data\"), restricted volume types (volume \"host-data\" uses restricted volume type \"hostPath\")");
    }

    [Fact]
    public async Task A_deployment_whose_pods_are_rejected_reports_replica_failure_and_gets_no_pod()
    {
        await using var h = await StartAsync();
        var labels = new Dictionary<string, string> { ["app"] = "root" };
        await h.Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "root" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox:1" }] },
                },
            },
        }, Ns);

        var rs = await h.Kube.Objects.WaitForAsync<V1ReplicaSet>(Ns, r => r.Status?.Conditions?.Any(c => c.Type == "ReplicaFailure") == true);
        rs.Status.Conditions.Single().Message.Should().Contain("violates PodSecurity \"restricted:latest\"");
        (await h.Client.CoreV1.ListNamespacedPodAsync(Ns)).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task Baseline_admits_a_plain_pod_but_not_a_privileged_one_and_no_label_enforces_nothing()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        await h.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "base", Labels = new Dictionary<string, string> { [SparkPodSecurity.EnforceLabel] = "baseline" } } });
        V1Pod Pod(string name, bool privileged) => new()
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox:1", SecurityContext = privileged ? new V1SecurityContext { Privileged = true } : null }] },
        };

        await h.Client.CoreV1.CreateNamespacedPodAsync(Pod("plain", false), "base");
        var message = await RejectionAsync(() => h.Client.CoreV1.CreateNamespacedPodAsync(Pod("priv", true), "base"));
        message.Should().Be("pods \"priv\" is forbidden: violates PodSecurity \"baseline:latest\": privileged (container \"main\" must not set securityContext.privileged=true)");
        await h.Client.CoreV1.CreateNamespacedPodAsync(Pod("priv", true), "team");
    }
}
