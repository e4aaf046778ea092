using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// What a fresh kind cluster runs besides the API server, so that checks of a real cluster's plumbing have
/// something true to read: CoreDNS behind the <c>kube-dns</c> Service (10.96.0.10, with a ready EndpointSlice) in
/// <c>kube-system</c>, and rancher's local-path provisioner (namespace <c>local-path-storage</c>,
/// <c>app=local-path-provisioner</c>) behind kind's default StorageClass <c>standard</c>. Off with
/// <see cref="FakeKubeOptions.SystemWorkloads"/> = false, for a bare cluster.
/// </summary>
internal static class KindSystemSeed
{
    public const string DnsServiceIp = "10.96.0.10";

    public static void Seed(ObjectApi api, ObjectStore store, FakeKubeOptions options)
    {
        var system = new WriteOptions("kube-apiserver");
        var running = system with { KeepStatus = true };
        api.Create(ResourceCatalog.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "local-path-storage" } }, system);

        api.Create(ResourceCatalog.Pods, "kube-system", SystemPod("coredns-668d6bf9bc-fake1", "kube-system", new JsonObject { ["k8s-app"] = "kube-dns" },
            "registry.k8s.io/coredns/coredns:v1.11.3", options.NodeName, "10.244.0.2"), running);
        api.Create(ResourceCatalog.Pods, "local-path-storage", SystemPod("local-path-provisioner-7dc846544d-fake1", "local-path-storage",
            new JsonObject { ["app"] = "local-path-provisioner" }, "docker.io/kindest/local-path-provisioner:v20241212-8ac705d0", options.NodeName, "10.244.0.3"), running);

        api.Create(ResourceCatalog.Services, "kube-system", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "kube-dns", ["labels"] = new JsonObject { ["k8s-app"] = "kube-dns" } },
            ["spec"] = new JsonObject
            {
                ["clusterIP"] = DnsServiceIp,
                ["selector"] = new JsonObject { ["k8s-app"] = "kube-dns" },
                ["ports"] = new JsonArray(
                    new JsonObject { ["name"] = "dns", ["port"] = 53, ["protocol"] = "UDP", ["targetPort"] = 53 },
                    new JsonObject { ["name"] = "dns-tcp", ["port"] = 53, ["protocol"] = "TCP", ["targetPort"] = 53 }),
            },
        }, system);
        api.Create(ResourceCatalog.EndpointSlices, "kube-system", new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "kube-dns-fake1",
                ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = "kube-dns", ["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io" },
            },
            ["addressType"] = "IPv4",
            ["endpoints"] = new JsonArray(new JsonObject
            {
                ["addresses"] = new JsonArray("10.244.0.2"),
                ["conditions"] = new JsonObject { ["ready"] = true, ["serving"] = true, ["terminating"] = false },
                ["nodeName"] = options.NodeName,
                ["targetRef"] = new JsonObject { ["kind"] = "Pod", ["name"] = "coredns-668d6bf9bc-fake1", ["namespace"] = "kube-system" },
            }),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "dns", ["port"] = 53, ["protocol"] = "UDP" }),
        }, system);

        if (store.Get(ResourceCatalog.StorageClasses, null, "standard") is null && !store.All(ResourceCatalog.StorageClasses).Any())
        {
            api.Create(ResourceCatalog.StorageClasses, null, new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = "standard",
                    ["annotations"] = new JsonObject { ["storageclass.kubernetes.io/is-default-class"] = "true" },
                },
                ["provisioner"] = "rancher.io/local-path",
                ["reclaimPolicy"] = "Delete",
                ["volumeBindingMode"] = "WaitForFirstConsumer",
            }, system);
        }
    }

    private static JsonObject SystemPod(string name, string ns, JsonObject labels, string image, string node, string ip) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels },
        ["spec"] = new JsonObject
        {
            ["nodeName"] = node,
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = name.Split('-')[0] == "coredns" ? "coredns" : "local-path-provisioner",
                ["image"] = image,
                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "70Mi" } },
            }),
        },
        ["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["podIP"] = ip,
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "PodScheduled", ["status"] = "True" },
                new JsonObject { ["type"] = "Ready", ["status"] = "True" },
                new JsonObject { ["type"] = "ContainersReady", ["status"] = "True" }),
        },
    };
}
