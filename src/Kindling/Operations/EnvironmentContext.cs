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
    private NodeSurvey? survey;

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
                // A laptop cluster's nodes run on this machine, unless they say otherwise (a remote Docker host, an
                // emulated VM): the architecture they report wins over the host's.
                var platform = survey?.Architecture is { } arch && ImagePlatform.Parse($"linux/{arch}") is { } nodes ? nodes : LocalClusterDefaults.HostPlatform();
                var (spec, applied) = LocalClusterDefaults.Apply(configured, cluster.Kind, options.Config.SetKeys, platform);
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
        var (context, server) = ContextAndServer();
        var detected = ClusterDetection.Detect(kind, context, server, survey?.Nodes);
        return survey is { Note.Length: > 0 } unread ? detected with { Evidence = $"{detected.Evidence}; {unread.Note}" } : detected;
    }

    private (string Context, string Server) ContextAndServer()
    {
        if ((connectionOverride ?? options.Connection) is not { } settings) return ("", "");
        if (connection is { } open) return (open.Target.Context, open.Target.Server);
        return KubeconfigPeek.Read(settings) is var (context, server) ? (context, server) : ("", "");
    }

    /// <summary>
    /// Detects the cluster with its nodes too (<see cref="ClusterDetection"/>: a context with a custom name is told
    /// by its nodes' provider IDs and labels, and a laptop cluster's images are built for its nodes' architecture),
    /// reading them once per connection; reports which cluster it is and why, and the laptop sizes applied.
    /// Nodes are not read when they cannot change the answer: no cluster, <c>cluster.kind</c> eks or other, or an
    /// EKS API endpoint. Commands that talk to a cluster call it first, before the environment is rendered.
    /// </summary>
    /// <exception cref="InvalidInputException">No kubeconfig, or an unknown context (nothing was contacted).</exception>
    public async Task<DetectedCluster> DetectClusterAsync(CancellationToken cancellationToken)
    {
        bool known;
        lock (gate) known = survey is not null;
        if (!known)
        {
            var read = NodeSurvey.NotRead;
            if ((connectionOverride ?? options.Connection) is not null && NodesCanTell())
                read = await NodeSurvey.ReadAsync(Connection, cancellationToken).ConfigureAwait(false);
            lock (gate)
            {
                survey = read;
                ForgetPlacement();
            }
            var detected = Cluster;
            Progress.Report(new ProgressEvent("cluster", ProgressStatus.Info, $"{detected.Kind}: {detected.Evidence}"));
            if (LocalDefaults.Count > 0)
                Progress.Report(new ProgressEvent("cluster", ProgressStatus.Info, $"laptop sizes for what kindling.yaml leaves unset: {string.Join(", ", LocalDefaults)}"));
        }
        return Cluster;
    }

    /// <summary>The nodes <see cref="DetectClusterAsync"/> read, or null when it did not read them (checks then list them).</summary>
    internal IReadOnlyList<k8s.Models.V1Node>? SurveyedNodes
    {
        get
        {
            lock (gate) return survey is { Nodes: not null } read ? read.Items : null;
        }
    }

    private bool NodesCanTell()
    {
        var kind = configured.Cluster.Kind;
        if (kind is ClusterKinds.Eks or ClusterKinds.Other) return false;
        if (kind != ClusterKinds.Auto) return true;
        var (context, server) = ContextAndServer();
        return ClusterDetection.Detect(kind, context, server).Kind != ClusterKinds.Eks;
    }

    // Caller holds the gate.
    private void ForgetPlacement()
    {
        placement = null;
        imageTag = null;
        buildContext = null;
        images = null;
        manifests.Clear();
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
            survey = null;
            ForgetPlacement();
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
