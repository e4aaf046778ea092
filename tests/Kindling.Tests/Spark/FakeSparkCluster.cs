using k8s.Models;
using Kindling.Cli;
using Kindling.Cluster;
using Kindling.Operations.Spark;
using Kindling.Spark;
using Kindling.Testing.FakeKube;
using Kindling.Tests.Cli;

namespace Kindling.Tests.Spark;

/// <summary>The fake API server with the default environment's namespace, a kubeconfig and CLI/library access.</summary>
internal sealed class FakeSparkCluster : IAsyncDisposable
{
    public const string Ns = "kindling";

    private FakeSparkCluster(FakeKubeServer kube, TempDir dir)
    {
        Kube = kube;
        Dir = dir;
        Kubeconfig = dir.File("kubeconfig");
        kube.WriteKubeconfig(Kubeconfig);
    }

    public FakeKubeServer Kube { get; }
    public TempDir Dir { get; }
    public string Kubeconfig { get; }

    public static async Task<FakeSparkCluster> StartAsync()
    {
        var kube = await FakeKubeServer.StartAsync();
        kube.Objects.Create(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = Ns } });
        return new FakeSparkCluster(kube, new TempDir());
    }

    public CliRun Run => new(Dir.Path)
    {
        Environment = new Dictionary<string, string?> { ["KUBECONFIG"] = Kubeconfig, ["HOME"] = Dir.Path, ["USER"] = "tester" },
    };

    public Task<CliResult> CliAsync(params string[] args) => CliHarness.RunAsync(Run, args);

    public (KubeConnection Connection, SparkApplications Apps) Client()
    {
        var connection = KubeConnection.Open(new KubeConnectionOptions { KubeconfigPath = Kubeconfig, HomeDirectory = Dir.Path });
        var options = new SparkApplicationsOptions
        {
            Namespace = Ns,
            Target = new SparkSubmitTarget { Namespace = Ns, Image = "kindling/spark:test", ServiceAccount = "kindling-spark", SparkVersion = "3.5.5" },
            ResolvePath = p => Path.GetFullPath(p, Dir.Path),
            NotebookPodPrefix = "kindling-jupyter-",
        };
        return (connection, new SparkApplications(connection, options));
    }

    public V1Pod DriverPod(string appId) =>
        Kube.Objects.List<V1Pod>(Ns, $"{SparkConventions.AppIdLabel}={appId},{SparkConventions.RoleLabel}=driver").Single();

    public string OnlyAppId() =>
        SparkApplicationStates.AppIdOf(Kube.Objects.List<V1Pod>(Ns, $"{SparkConventions.RoleLabel}=driver").Single())!;

    /// <summary>Creates an executor pod as Spark's driver would: labelled, owned by the driver pod.</summary>
    public V1Pod AddExecutor(V1Pod owner, string appId, int id, string? ownerUid = null) =>
        Kube.Objects.Create(new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = $"{owner.Metadata.Name.Replace("-driver", "", StringComparison.Ordinal)}-exec-{id}",
                NamespaceProperty = Ns,
                Labels = new Dictionary<string, string>
                {
                    [SparkConventions.AppIdLabel] = appId,
                    [SparkConventions.RoleLabel] = SparkConventions.ExecutorRole,
                    [SparkConventions.ExecutorIdLabel] = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = owner.Metadata.Name, Uid = ownerUid ?? owner.Metadata.Uid, Controller = true }],
            },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = SparkConventions.ExecutorContainerName, Image = "kindling/spark:test" }] },
        }, Ns);

    public async ValueTask DisposeAsync()
    {
        await Kube.DisposeAsync();
        Dir.Dispose();
    }
}
