using Kindling.Cluster;
using Kindling.Configuration;
using Kindling.Images;
using Kindling.Resources;
using Kindling.Spark;
using Kindling.Tools;

namespace Kindling.Operations;

/// <summary>
/// Everything the operations share about one environment: the config, the local state, the rendered environment
/// (build context → tag → images → objects) and the cluster connection. The caller (the CLI) creates one per
/// command and passes it to the operation, as Helm's <c>pkg/action.Configuration</c> carries the dependencies all
/// actions share. Creating it does no I/O: local state is read, the environment rendered and the cluster
/// connected on first use, so a command that fails on its input has touched nothing.
/// </summary>
public sealed class EnvironmentContext : IDisposable
{
    private readonly EnvironmentContextOptions options;
    private readonly Lock gate = new();
    private readonly Dictionary<string, IReadOnlyList<Manifest>> manifests = new(StringComparer.Ordinal);
    private LocalState? state;
    private IReadOnlyList<RenderedFile>? buildContext;
    private string? imageTag;
    private ResolvedImages? images;
    private KubeConnection? connection;
    private bool disposed;
    private readonly EnvironmentSpec configured;
    private KubeConnectionOptions? connectionOverride;
    private (DetectedCluster Cluster, EnvironmentSpec Spec, IReadOnlyList<string> Defaults)? placement;

    /// <summary>Creates the context; nothing is read or contacted yet.</summary>
    public EnvironmentContext(EnvironmentContextOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        configured = options.Namespace is { Length: > 0 } ns ? options.Config.Spec with { Namespace = ns } : options.Config.Spec;
        StateStore = LocalStateStore.For(options.Config.SourcePath, options.WorkingDirectory);
        Names = new ResourceNames(configured.Name);
        Progress = options.Progress ?? NoProgress.Instance;
    }

    /// <summary>The loaded kindling.yaml, as read.</summary>
    public LoadedConfig Config => options.Config;

    /// <summary>
    /// The environment: the config with the caller's overrides (<c>-n</c>) applied and, on a laptop cluster, the
    /// laptop sizes for what the config leaves unset (<see cref="LocalClusterDefaults"/>).
    /// </summary>
    public EnvironmentSpec Spec => Placement.Spec;

    /// <summary>
    /// The kind of cluster the environment runs on: <c>cluster.kind</c>, else detected from the kubeconfig context
    /// (read, never contacted). A command without a cluster (render) knows only <c>cluster.kind</c>.
    /// </summary>
    public DetectedCluster Cluster => Placement.Cluster;

    /// <summary>The laptop defaults applied to <see cref="Spec"/> (<c>notebook.memory=2Gi</c> ...); empty elsewhere.</summary>
    public IReadOnlyList<string> LocalDefaults => Placement.Defaults;

    private (DetectedCluster Cluster, EnvironmentSpec Spec, IReadOnlyList<string> Defaults) Placement
    {
        get
        {
            lock (gate)
            {
                if (placement is { } known) return known;
                var cluster = DetectCluster();
                var (spec, applied) = LocalClusterDefaults.Apply(configured, cluster.Kind, options.Config.SetKeys, LocalClusterDefaults.HostPlatform());
                placement = (cluster, spec, applied);
                return placement.Value;
            }
        }
    }

    // The kubeconfig says which cluster the context is, read without running credential plugins; a missing or
    // broken kubeconfig is not this property's error to report (the connection reports it when a command needs it).
    private DetectedCluster DetectCluster()
    {
        var kind = configured.Cluster.Kind;
        if ((connectionOverride ?? options.Connection) is not { } settings) return ClusterDetection.Detect(kind, "", "");
        if (connection is { } open) return ClusterDetection.Detect(kind, open.Target.Context, open.Target.Server);
        return KubeconfigPeek.Read(settings) is var (context, server)
            ? ClusterDetection.Detect(kind, context, server)
            : ClusterDetection.Detect(kind, "", "");
    }

    /// <summary>
    /// The local state the environment's objects and images are rendered from: none on a laptop cluster, whose
    /// images are loaded rather than pulled from ECR and which has no IRSA, autoscaler or EBS.
    /// </summary>
    private LocalState RenderState => Cluster.IsLocal ? new LocalState() : State;

    /// <summary>The namespace everything lives in.</summary>
    public string Namespace => Spec.Namespace;

    /// <summary>The names of the environment's objects.</summary>
    public ResourceNames Names { get; }

    /// <summary>The directory relative paths are resolved against.</summary>
    public string WorkingDirectory => options.WorkingDirectory;

    /// <summary>Where the local state (<c>.kindling/</c>) lives.</summary>
    public LocalStateStore StateStore { get; }

    /// <summary>Where external tools are found.</summary>
    public ToolEnvironment Tools => options.Tools;

    /// <summary>Receives progress.</summary>
    public IProgress<ProgressEvent> Progress { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time => options.Time;

    /// <summary><c>SPARK_USER</c> of submissions.</summary>
    public string SparkUser => options.SparkUser;

    /// <summary>Source of Spark application ids.</summary>
    public SparkIdGenerator Ids => options.Ids;

    /// <summary>The local state, read once on first use.</summary>
    public LocalState State
    {
        get
        {
            lock (gate) return state ??= StateStore.Load();
        }
    }

    /// <summary>
    /// Forgets the local state and everything derived from it; an operation that changed the state (saving
    /// Terraform outputs, a token) calls it so later steps see the new ECR repositories.
    /// </summary>
    public void StateChanged()
    {
        lock (gate)
        {
            state = null;
            images = null;
            manifests.Clear();
        }
    }

    /// <summary>
    /// Closes the cluster connection and forgets what was derived from it, so the next use reads the kubeconfig
    /// again: <c>up --provision</c> calls it after writing the EKS cluster's context.
    /// </summary>
    /// <param name="settings">Other connection settings (the EKS context), or null to keep the caller's.</param>
    internal void Reconnect(KubeConnectionOptions? settings = null)
    {
        lock (gate)
        {
            if (settings is not null) connectionOverride = settings;
            connection?.Dispose();
            connection = null;
            placement = null;
            imageTag = null;
            buildContext = null;
            images = null;
            manifests.Clear();
        }
    }

    /// <summary>Every file of both image build contexts.</summary>
    public IReadOnlyList<RenderedFile> BuildContext
    {
        get
        {
            var spec = Spec;
            lock (gate) return buildContext ??= ImageBuildContext.Select(options.RenderBuildContext(spec));
        }
    }

    /// <summary>The tag <c>images build</c> gives both images: <c>images.tag</c>, else the content-hash tag of <see cref="BuildContext"/>.</summary>
    /// <exception cref="InvalidInputException">The tag is not a valid Docker tag.</exception>
    public string ImageTag
    {
        get
        {
            var files = BuildContext;
            var spec = Spec;
            lock (gate) return imageTag ??= Kindling.Images.ImageTag.Compute(spec, files);
        }
    }

    /// <summary>The image references the environment uses, with <see cref="ImageTag"/>.</summary>
    public ResolvedImages Images
    {
        get
        {
            var tag = ImageTag;
            var current = RenderState;
            var spec = Spec;
            lock (gate) return images ??= ImageResolver.Resolve(spec, current, tag);
        }
    }

    /// <summary>The image references for another tag (<c>images build --tag</c>).</summary>
    public ResolvedImages ImagesTagged(string tag) => ImageResolver.Resolve(Spec, RenderState, tag);

    /// <summary>
    /// Whether the environment runs on the EKS cluster Kindling provisioned (<see cref="KindlingEks.RunsOn"/>):
    /// decided from local state and, for a command that talks to a cluster, the connection's API server, so
    /// <c>up</c>, <c>status</c> and <c>down</c> render the same set of objects.
    /// </summary>
    public bool OnKindlingEks => !Cluster.IsLocal && KindlingEks.RunsOn(Spec, State, (connectionOverride ?? options.Connection) is null ? null : Connection.Target.Server);

    /// <summary>
    /// The environment's objects in apply order. <paramref name="jupyterToken"/> is only the Secret's content:
    /// names and the set of objects do not depend on it, so read-only commands pass an empty one.
    /// </summary>
    public IReadOnlyList<Manifest> Manifests(string jupyterToken = "")
    {
        var resolved = Images;
        var spec = Spec;
        var current = RenderState;
        var onEks = OnKindlingEks;
        lock (gate)
        {
            if (!manifests.TryGetValue(jupyterToken, out var built))
                // The object store's credentials are made with the token, for the same create-only use: only 'up'
                // passes a token, and a Secret that already exists keeps what it holds.
                manifests[jupyterToken] = built = EnvironmentRenderer.Manifests(spec, resolved, jupyterToken, current, onEks,
                    jupyterToken.Length == 0 || !spec.Storage.Local ? null : ObjectStoreCredentials.New());
            return built;
        }
    }

    /// <summary>Every object's reference.</summary>
    public IReadOnlySet<ObjectRef> Refs(IReadOnlyList<Manifest> objects) => objects.Select(m => ObjectRef.Of(m.Object, Namespace)).ToHashSet();

    /// <summary>Every file of the environment (<c>kindling render</c>).</summary>
    public RenderedEnvironment Render(string jupyterToken) =>
        EnvironmentRenderer.Render(Spec, Images, ImageTag, Manifests(jupyterToken));

    /// <summary>The cluster connection, opened on first use (reading the kubeconfig, contacting nothing) and closed with the context.</summary>
    /// <exception cref="InvalidInputException">No kubeconfig, or an unknown context (nothing was contacted).</exception>
    /// <exception cref="InvalidOperationException">The context was created without connection options.</exception>
    public KubeConnection Connection
    {
        get
        {
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                var settings = connectionOverride ?? options.Connection
                               ?? throw new InvalidOperationException("this environment context was created without a cluster connection");
                return connection ??= KubeConnection.Open(settings with { Time = Time });
            }
        }
    }

    /// <summary>The connection settings the caller gave (<c>--kubeconfig</c>, <c>--context</c>); null for a local-only command.</summary>
    internal KubeConnectionOptions? ConnectionSettings => options.Connection;

    /// <summary>Resolves a user-given path against <see cref="WorkingDirectory"/>.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, WorkingDirectory);

    /// <summary>Closes the cluster connection, if one was opened.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            connection?.Dispose();
            connection = null;
        }
    }
}
