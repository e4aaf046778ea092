using Kindling.Cluster;
using Kindling.Configuration;

namespace Kindling.Tests.Provision;

/// <summary>
/// Cluster detection from kubeconfigs shaped as each tool writes them (context, cluster and user names, server
/// addresses, minikube's extensions, k3d's 0.0.0.0; credentials replaced by a token), read through the same kubeconfig loading every command uses.
/// </summary>
public sealed class ClusterDetectionTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    public static TheoryData<string, string, string, string?> Kubeconfigs => new()
    {
        // kind create cluster --name dev
        { "kind", """
            apiVersion: v1
            clusters:
            - cluster:
                insecure-skip-tls-verify: true
                server: https://127.0.0.1:39841
              name: kind-dev
            contexts:
            - context:
                cluster: kind-dev
                user: kind-dev
              name: kind-dev
            current-context: kind-dev
            kind: Config
            preferences: {}
            users:
            - name: kind-dev
              user:
                token: t
            """, ClusterKinds.Kind, "dev" },
        // minikube start (docker driver)
        { "minikube", """
            apiVersion: v1
            clusters:
            - cluster:
                insecure-skip-tls-verify: true
                extensions:
                - extension:
                    last-update: Fri, 27 Nov 2026 06:00:00 UTC
                    provider: minikube.sigs.k8s.io
                    version: v1.37.0
                  name: cluster_info
                server: https://192.168.49.2:8443
              name: minikube
            contexts:
            - context:
                cluster: minikube
                extensions:
                - extension:
                    last-update: Fri, 27 Nov 2026 06:00:00 UTC
                    provider: minikube.sigs.k8s.io
                    version: v1.37.0
                  name: context_info
                namespace: default
                user: minikube
              name: minikube
            current-context: minikube
            kind: Config
            users:
            - name: minikube
              user:
                token: t
            """, ClusterKinds.Minikube, "minikube" },
        // k3d cluster create demo
        { "k3d", """
            apiVersion: v1
            clusters:
            - cluster:
                insecure-skip-tls-verify: true
                server: https://0.0.0.0:41427
              name: k3d-demo
            contexts:
            - context:
                cluster: k3d-demo
                user: admin@k3d-demo
              name: k3d-demo
            current-context: k3d-demo
            kind: Config
            users:
            - name: admin@k3d-demo
              user:
                token: t
            """, ClusterKinds.K3d, "demo" },
        // Docker Desktop's Kubernetes
        { "docker-desktop", """
            apiVersion: v1
            clusters:
            - cluster:
                insecure-skip-tls-verify: true
                server: https://kubernetes.docker.internal:6443
              name: docker-desktop
            contexts:
            - context:
                cluster: docker-desktop
                user: docker-desktop
              name: docker-desktop
            current-context: docker-desktop
            kind: Config
            users:
            - name: docker-desktop
              user:
                token: t
            """, ClusterKinds.DockerDesktop, null },
        // Rancher Desktop (k3s)
        { "rancher-desktop", """
            apiVersion: v1
            clusters:
            - cluster:
                insecure-skip-tls-verify: true
                server: https://127.0.0.1:6443
              name: rancher-desktop
            contexts:
            - context:
                cluster: rancher-desktop
                user: rancher-desktop
              name: rancher-desktop
            current-context: rancher-desktop
            kind: Config
            users:
            - name: rancher-desktop
              user:
                token: t
            """, ClusterKinds.RancherDesktop, null },
        // OrbStack
        { "orbstack", """
            apiVersion: v1
            clusters:
            - cluster:
                insecure-skip-tls-verify: true
                server: https://127.0.0.1:26443
              name: orbstack
            contexts:
            - context:
                cluster: orbstack
                user: orbstack
              name: orbstack
            current-context: orbstack
            kind: Config
            users:
            - name: orbstack
              user:
                token: t
            """, ClusterKinds.OrbStack, null },
        // aws eks update-kubeconfig --name prod
        { "eks", """
            apiVersion: v1
            clusters:
            - cluster:
                insecure-skip-tls-verify: true
                server: https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com
              name: arn:aws:eks:eu-west-1:123456789012:cluster/prod
            contexts:
            - context:
                cluster: arn:aws:eks:eu-west-1:123456789012:cluster/prod
                user: arn:aws:eks:eu-west-1:123456789012:cluster/prod
              name: arn:aws:eks:eu-west-1:123456789012:cluster/prod
            current-context: arn:aws:eks:eu-west-1:123456789012:cluster/prod
            kind: Config
            users:
            - name: arn:aws:eks:eu-west-1:123456789012:cluster/prod
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  args: [--region, eu-west-1, eks, get-token, --cluster-name, prod, --output, json]
                  command: aws
            """, ClusterKinds.Eks, null },
        // a company cluster with a plain name
        { "other", """
            apiVersion: v1
            clusters:
            - cluster:
                insecure-skip-tls-verify: true
                server: https://k8s.internal.example.com:6443
              name: dev
            contexts:
            - context:
                cluster: dev
                user: me
              name: dev
            current-context: dev
            kind: Config
            users:
            - name: me
              user:
                token: abc
            """, ClusterKinds.Other, null },
    };

    [Theory]
    [MemberData(nameof(Kubeconfigs))]
    public void The_kind_of_cluster_is_detected_from_the_kubeconfig(string file, string kubeconfig, string kind, string? name)
    {
        var path = dir.Write(file, kubeconfig);
        // Read as every command reads it, without running the credential plugin (EKS's aws eks get-token).
        var (context, server) = KubeconfigPeek.Read(new KubeConnectionOptions { KubeconfigPath = path })!.Value;

        var detected = ClusterDetection.Detect(ClusterKinds.Auto, context, server);

        detected.Kind.Should().Be(kind);
        detected.Name.Should().Be(name);
        detected.Evidence.Should().NotBeEmpty();
        detected.IsLocal.Should().Be(ClusterKinds.Local.Contains(kind));
    }

    [Fact]
    public void The_peek_merges_the_files_of_KUBECONFIG_as_kubectl_and_the_connection_do()
    {
        // kubectl: current-context from the first file that sets one; a context, cluster or user from the first
        // file that defines that name. Here the current context is named in one file and defined in another, and the
        // cluster it names lives in a third, as after `kind create cluster` with a hand-written override first.
        var first = dir.Write("override", """
            apiVersion: v1
            kind: Config
            current-context: kind-dev
            """);
        var second = dir.Write("contexts", """
            apiVersion: v1
            kind: Config
            contexts:
            - context:
                cluster: kind-dev
                user: kind-dev
              name: kind-dev
            users:
            - name: kind-dev
              user:
                token: abc
            """);
        var third = dir.Write("clusters", """
            apiVersion: v1
            kind: Config
            clusters:
            - cluster:
                insecure-skip-tls-verify: true
                server: https://127.0.0.1:39841
              name: kind-dev
            """);
        var options = new KubeConnectionOptions { KubeconfigVariable = string.Join(Path.PathSeparator, first, second, third) };

        var peeked = KubeconfigPeek.Read(options);
        using var connection = KubeConnection.Open(options);

        peeked.Should().Be(("kind-dev", "https://127.0.0.1:39841"));
        connection.Target.Context.Should().Be(peeked!.Value.Context);
        connection.Target.Server.TrimEnd('/').Should().Be(peeked.Value.Server);
    }

    [Fact]
    public void Cluster_kind_in_kindling_yaml_overrides_the_detection()
    {
        var detected = ClusterDetection.Detect(ClusterKinds.Minikube, "dev", "https://192.168.58.2:8443");
        detected.Kind.Should().Be(ClusterKinds.Minikube);
        detected.Name.Should().Be("dev", "minikube's profile names its context");
        detected.Evidence.Should().Contain("cluster.kind");
    }

    public static TheoryData<NodeFacts, string, string?> Nodes => new()
    {
        { new NodeFacts("dev-control-plane", new Dictionary<string, string> { ["kubernetes.io/hostname"] = "dev-control-plane" }, "kind://docker/dev/dev-control-plane", "amd64"), ClusterKinds.Kind, "dev" },
        { new NodeFacts("laptop", new Dictionary<string, string> { ["minikube.k8s.io/name"] = "laptop", ["minikube.k8s.io/primary"] = "true" }, null, "arm64"), ClusterKinds.Minikube, "laptop" },
        { new NodeFacts("k3d-demo-server-0", new Dictionary<string, string> { ["node.kubernetes.io/instance-type"] = "k3s" }, "k3s://k3d-demo-server-0", "amd64"), ClusterKinds.K3d, "demo" },
        { new NodeFacts("lima-rancher-desktop", new Dictionary<string, string> { ["node.kubernetes.io/instance-type"] = "k3s" }, "k3s://lima-rancher-desktop", "arm64"), ClusterKinds.RancherDesktop, null },
        { new NodeFacts("ip-10-0-48-7.eu-west-1.compute.internal", new Dictionary<string, string> { ["eks.amazonaws.com/nodegroup"] = "kindling" }, "aws:///eu-west-1a/i-0abc", "amd64"), ClusterKinds.Eks, null },
    };

    [Theory]
    [MemberData(nameof(Nodes))]
    public void A_context_with_a_custom_name_is_told_by_its_nodes(NodeFacts node, string kind, string? name)
    {
        var detected = ClusterDetection.Detect(ClusterKinds.Auto, "work", "https://127.0.0.1:6443", [node]);
        detected.Kind.Should().Be(kind);
        detected.Name.Should().Be(name);
    }

    [Fact]
    public void Laptop_defaults_fill_only_what_the_file_leaves_unset()
    {
        var spec = new EnvironmentSpec();
        var (local, applied) = LocalClusterDefaults.Apply(spec, ClusterKinds.Kind, new HashSet<string> { "notebook.memory" }, "linux/arm64");
        local.Notebook.Memory.Should().Be(spec.Notebook.Memory, "the file sets it");
        local.Spark.Executors.Memory.Should().Be("1g");
        local.Spark.Executors.Cores.Should().Be(1);
        local.Notebook.Cpu.Should().Be("1");
        local.Images.Platform.Should().Be("linux/arm64");
        applied.Should().Equal("spark.executors.memory=1g", "images.platform=linux/arm64");

        var (eks, none) = LocalClusterDefaults.Apply(spec, ClusterKinds.Eks, new HashSet<string>(), "linux/arm64");
        eks.Should().Be(spec);
        none.Should().BeEmpty();
    }
}
