using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kindling.Tests.FakeKube;

public sealed class CrudTests
{
    private static V1ConfigMap Map(string name, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Data = new Dictionary<string, string> { ["k"] = "v" },
    };

    [Fact]
    public async Task Create_get_list_update_delete_round_trip_with_increasing_resource_versions()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        var created = await h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("a"), "team");
        created.Metadata.Uid.Should().NotBeNullOrEmpty();
        created.Metadata.CreationTimestamp.Should().NotBeNull();

        var fetched = await h.Client.CoreV1.ReadNamespacedConfigMapAsync("a", "team");
        fetched.Data["k"].Should().Be("v");

        fetched.Data["k"] = "w";
        var updated = await h.Client.CoreV1.ReplaceNamespacedConfigMapAsync(fetched, "a", "team");
        long.Parse(updated.Metadata.ResourceVersion).Should().BeGreaterThan(long.Parse(created.Metadata.ResourceVersion));

        var list = await h.Client.CoreV1.ListNamespacedConfigMapAsync("team");
        list.Items.Should().ContainSingle(c => c.Metadata.Name == "a");
        long.Parse(list.Metadata.ResourceVersion).Should().BeGreaterThanOrEqualTo(long.Parse(updated.Metadata.ResourceVersion));

        await h.Client.CoreV1.DeleteNamespacedConfigMapAsync("a", "team");
        var act = () => h.Client.CoreV1.ReadNamespacedConfigMapAsync("a", "team");
        (await act.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Errors_carry_apiserver_status_bodies()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("a"), "team");

        var notFound = await Capture(() => h.Client.CoreV1.ReadNamespacedConfigMapAsync("missing", "team"));
        notFound.Code.Should().Be(404);
        notFound.Reason.Should().Be("NotFound");
        notFound.Message.Should().Be("configmaps \"missing\" not found");
        notFound.Details.Name.Should().Be("missing");
        notFound.Details.Kind.Should().Be("configmaps");

        var exists = await Capture(() => h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("a"), "team"));
        exists.Code.Should().Be(409);
        exists.Reason.Should().Be("AlreadyExists");

        var stale = await h.Client.CoreV1.ReadNamespacedConfigMapAsync("a", "team");
        var fresh = await h.Client.CoreV1.ReadNamespacedConfigMapAsync("a", "team");
        fresh.Data["k"] = "fresh";
        await h.Client.CoreV1.ReplaceNamespacedConfigMapAsync(fresh, "a", "team");
        stale.Data["k"] = "stale";
        var conflict = await Capture(() => h.Client.CoreV1.ReplaceNamespacedConfigMapAsync(stale, "a", "team"));
        conflict.Code.Should().Be(409);
        conflict.Reason.Should().Be("Conflict");

        var noNamespace = await Capture(() => h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("b"), "nope"));
        noNamespace.Code.Should().Be(404);
        noNamespace.Message.Should().Be("namespaces \"nope\" not found");

        var noName = await Capture(() => h.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta() }, "team"));
        noName.Code.Should().Be(422);
        noName.Reason.Should().Be("Invalid");

        var badName = await Capture(() => h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("Bad_Name"), "team"));
        badName.Code.Should().Be(422);
    }

    [Fact]
    public async Task Label_and_field_selectors_filter_lists()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("a", new() { ["app"] = "spark", ["role"] = "driver" }), "team");
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("b", new() { ["app"] = "spark", ["role"] = "executor" }), "team");
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("c", new() { ["app"] = "jupyter" }), "team");

        async Task<string[]> Names(string? labels = null, string? fields = null) =>
            (await h.Client.CoreV1.ListNamespacedConfigMapAsync("team", labelSelector: labels, fieldSelector: fields)).Items
            .Select(i => i.Metadata.Name).Where(n => n != "kube-root-ca.crt").Order().ToArray();

        (await Names("app=spark")).Should().Equal("a", "b");
        (await Names("app==spark,role!=driver")).Should().Equal("b");
        (await Names("role in (driver, executor)")).Should().Equal("a", "b");
        (await Names("app notin (spark)")).Should().Equal("c");
        (await Names("role")).Should().Equal("a", "b");
        (await Names("!role")).Should().Equal("c");
        (await Names(fields: "metadata.name=c")).Should().Equal("c");
        (await h.Client.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: "app=spark")).Items.Should().HaveCount(2);
    }

    [Fact]
    public async Task Immutable_config_map_rejects_data_changes()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        var map = Map("frozen");
        map.Immutable = true;
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(map, "team");
        var current = await h.Client.CoreV1.ReadNamespacedConfigMapAsync("frozen", "team");
        current.Data["k"] = "changed";
        var error = await Capture(() => h.Client.CoreV1.ReplaceNamespacedConfigMapAsync(current, "frozen", "team"));
        error.Code.Should().Be(422);
    }

    [Fact]
    public async Task Namespace_delete_passes_through_terminating_and_removes_contents()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("a"), "team");
        h.Kube.Controllers.NamespaceFinalizeDelay = TimeSpan.FromMinutes(10);
        await h.Client.CoreV1.DeleteNamespaceAsync("team");
        var ns = await h.Client.CoreV1.ReadNamespaceAsync("team");
        ns.Status.Phase.Should().Be("Terminating");
        var blocked = await Capture(() => h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("b"), "team"));
        blocked.Code.Should().Be(403);

        h.Kube.Controllers.FinalizeNamespaces();
        h.Kube.Objects.Exists<V1Namespace>(null, "team").Should().BeFalse();
        h.Kube.Objects.List<V1ConfigMap>("team").Should().BeEmpty();
    }

    [Fact]
    public async Task Self_subject_access_review_reflects_configured_denials_and_requests_are_forbidden()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        h.Kube.Permissions.Deny("create", "deployments", "team");

        async Task<bool> Allowed(string verb, string group, string resource) =>
            (await h.Client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
            {
                Spec = new V1SelfSubjectAccessReviewSpec
                {
                    ResourceAttributes = new V1ResourceAttributes { Verb = verb, Group = group, Resource = resource, NamespaceProperty = "team" },
                },
            })).Status.Allowed;

        (await Allowed("create", "apps", "deployments")).Should().BeFalse();
        (await Allowed("create", "", "pods")).Should().BeTrue();

        var forbidden = await Capture(() => h.Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment { Metadata = new V1ObjectMeta { Name = "d" } }, "team"));
        forbidden.Code.Should().Be(403);
        forbidden.Reason.Should().Be("Forbidden");
    }

    internal static async Task<V1Status> Capture(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(call);
        var status = KubernetesJson.Deserialize<V1Status>(e.Response.Content);
        status.Kind.Should().Be("Status");
        status.Status.Should().Be("Failure");
        status.Code.Should().Be((int)e.Response.StatusCode);
        return status;
    }
}
