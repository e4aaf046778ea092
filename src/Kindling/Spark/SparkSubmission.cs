using Kindling.Resources;
using k8s;
using k8s.Models;

namespace Kindling.Spark;

/// <summary>Everything a submission's objects are a pure function of.</summary>
/// <param name="Spec">The application.</param>
/// <param name="Target">Namespace, image, ServiceAccount and defaults.</param>
/// <param name="Ids">Generated identifiers (injected, so output is deterministic).</param>
/// <param name="Sources">The resources as the driver sees them, after shipping local files.</param>
public sealed record SparkSubmissionInputs(SparkApplicationSpec Spec, SparkSubmitTarget Target, SparkIds Ids, SparkAppSources Sources)
{
    /// <summary>The pod templates named by the conf, already read (<c>spark.kubernetes.{driver,executor}.podTemplateFile</c>).</summary>
    public SparkPodTemplates Templates { get; init; } = SparkPodTemplates.None;
}

/// <summary>
/// The objects one submission creates, before creation: the driver pod first, then the owned ConfigMaps and
/// Service (their owner references need the pod's uid, see <see cref="OwnedBy"/>).
/// </summary>
public sealed record SparkSubmission
{
    /// <summary>The names used.</summary>
    public required SparkNames Names { get; init; }

    /// <summary>
    /// The resolved SparkConf, sorted: what the driver's SparkConf holds. <c>spark.properties</c> holds all of it
    /// but <see cref="SecretConf"/>, which reaches the driver from <see cref="ConfSecret"/>.
    /// </summary>
    public required IReadOnlyDictionary<string, string> Conf { get; init; }

    /// <summary>The keys of <see cref="Conf"/> kept out of the ConfigMap because they look secret (<see cref="DriverSecretConf"/>).</summary>
    public IReadOnlyCollection<string> SecretConf { get; init; } = [];

    /// <summary>The effective pod sizes.</summary>
    public required SparkPodSizes Sizes { get; init; }

    /// <summary>The driver pod.</summary>
    public required V1Pod DriverPod { get; init; }

    /// <summary>The immutable <c>spark-drv-&lt;id&gt;-conf-map</c>.</summary>
    public required V1ConfigMap ConfConfigMap { get; init; }

    /// <summary>The headless driver Service.</summary>
    public required V1Service DriverService { get; init; }

    /// <summary>The immutable Secret with the secret-like conf, when there is any (<see cref="DriverSecretConf"/>).</summary>
    public V1Secret? ConfSecret { get; init; }

    /// <summary>The ConfigMap with shipped local files, when there are any.</summary>
    public V1ConfigMap? FilesConfigMap { get; init; }

    /// <summary>The executor pod template shipped to the driver (<c>&lt;prefix&gt;-podspec-configmap</c>, PodTemplateConfigMapStep).</summary>
    public V1ConfigMap? ExecutorTemplateConfigMap { get; init; }

    /// <summary>Validates and builds a submission.</summary>
    /// <exception cref="InvalidInputException">The spec is invalid; every problem is listed.</exception>
    public static SparkSubmission Build(SparkSubmissionInputs inputs)
    {
        var errors = inputs.Spec.Validate();
        if (errors.Count > 0) throw new InvalidInputException(errors);
        var spec = inputs.Spec;
        var names = SparkNames.For(spec.EffectiveName, inputs.Ids,
            spec.Conf.TryGetValue(SparkConfKeys.DriverPodName, out var podName) ? podName : null);
        var conf = SparkDriverConf.Resolve(spec, inputs.Target, names, inputs.Sources);
        RequireLoaded(conf, SparkConfKeys.DriverPodTemplateFile, inputs.Templates.Driver);
        RequireLoaded(conf, SparkConfKeys.ExecutorPodTemplateFile, inputs.Templates.Executor);
        // Every submission ships an executor pod template, so executors meet the restricted Pod Security profile.
        ExecutorTemplateShipping.SetConf(conf, userTemplate: inputs.Templates.Executor is not null);
        var sizes = SparkPodSizes.Resolve(conf, spec.IsPython, inputs.Target.SparkMajorVersion);
        var problems = new List<InputError>();
        var templateEnv = SparkPodTemplate.SelectSparkContainer(inputs.Templates.Driver, conf.GetValueOrDefault(SparkConfKeys.DriverPodTemplateContainerName)).Container.Env?.ToList();
        var secrets = DriverSecretConf.Resolve(conf, templateEnv, problems);
        if (problems.Count > 0) throw new InvalidInputException(problems);
        var pod = DriverPodBuilder.Build(inputs, names, conf, sizes, secrets);
        var plainConf = new SortedDictionary<string, string>(conf, StringComparer.Ordinal);
        foreach (var key in secrets.Conf.Keys) plainConf.Remove(key);
        return new SparkSubmission
        {
            Names = names,
            Conf = conf,
            SecretConf = secrets.Conf.Keys.ToList(),
            Sizes = sizes,
            DriverPod = pod,
            ConfConfigMap = DriverResourcesBuilder.ConfConfigMap(names, inputs.Target.Namespace, plainConf),
            ConfSecret = secrets.IsEmpty ? null : DriverResourcesBuilder.ConfSecret(names, inputs.Target.Namespace, secrets),
            // DriverServiceFeatureStep selects by the conf's driver labels, not by labels a pod template adds.
            DriverService = DriverResourcesBuilder.Service(names, inputs.Target, DriverPodBuilder.DriverLabels(names, inputs.Target, conf)),
            ExecutorTemplateConfigMap = ExecutorTemplateShipping.ConfigMap(names, inputs.Target.Namespace, inputs.Templates.Executor, inputs.Target.Placement),
            FilesConfigMap = inputs.Sources.ShippedFiles.Count > 0
                ? DriverResourcesBuilder.FilesConfigMap(names, inputs.Target.Namespace, inputs.Sources.ShippedFiles)
                : null,
        };
    }

    /// <summary>
    /// Copies of the owned objects with an owner reference to the created driver pod (<c>v1/Pod</c>, name,
    /// uid, <c>controller: true</c>). This submission's objects are not modified.
    /// </summary>
    public SparkOwnedObjects OwnedBy(V1Pod createdPod)
    {
        T Owned<T>(T original) where T : class, IKubernetesObject<V1ObjectMeta>
        {
            var copy = KubeYaml.Copy(original);
            DriverResourcesBuilder.SetOwner(copy.Metadata, createdPod);
            return copy;
        }
        return new SparkOwnedObjects(Owned(ConfConfigMap), Owned(DriverService), FilesConfigMap is null ? null : Owned(FilesConfigMap),
            ExecutorTemplateConfigMap is null ? null : Owned(ExecutorTemplateConfigMap))
        {
            ConfSecret = ConfSecret is null ? null : Owned(ConfSecret),
        };
    }

    /// <summary>The objects created after the pod, in a stable order.</summary>
    public IEnumerable<IKubernetesObject<V1ObjectMeta>> OwnedObjects() =>
        new SparkOwnedObjects(ConfConfigMap, DriverService, FilesConfigMap, ExecutorTemplateConfigMap) { ConfSecret = ConfSecret }.All;

    // A template named by the conf must have been read by the caller (SparkApplications.Plan does); building
    // without it would silently drop what the user asked for.
    private static void RequireLoaded(IReadOnlyDictionary<string, string> conf, string key, V1Pod? template)
    {
        if (template is null && conf.TryGetValue(key, out var file) && file != ExecutorTemplateShipping.MountedPath)
            throw new InvalidOperationException($"{key}={file} is set but the template was not read; pass it in {nameof(SparkSubmissionInputs)}.{nameof(SparkSubmissionInputs.Templates)}");
    }

    /// <summary>
    /// All objects as one multi-document YAML stream: pod, conf ConfigMap, Service, files ConfigMap, conf Secret.
    /// This is for printing, so a Secret's values are redacted (its keys stay).
    /// </summary>
    public string ToYaml(IEnumerable<IKubernetesObject<V1ObjectMeta>>? owned = null)
    {
        var docs = new List<object> { DriverPod };
        docs.AddRange(Printable(owned ?? OwnedObjects()));
        return string.Join("---\n", docs.Select(d => KubeYaml.Serialize(d).TrimEnd('\n') + "\n"));
    }

    /// <summary>The objects as they may be shown: a Secret's values redacted (<c>--dry-run</c> prints them).</summary>
    public static IEnumerable<IKubernetesObject<V1ObjectMeta>> Printable(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects) =>
        objects.Select(o => o is V1Secret secret ? DriverResourcesBuilder.Redacted(secret) : o);
}

/// <summary>The objects a driver pod owns.</summary>
/// <param name="ConfConfigMap">The conf ConfigMap.</param>
/// <param name="DriverService">The headless Service.</param>
/// <param name="FilesConfigMap">The shipped files, if any.</param>
/// <param name="ExecutorTemplateConfigMap">The executor pod template, if shipped.</param>
public sealed record SparkOwnedObjects(V1ConfigMap ConfConfigMap, V1Service DriverService, V1ConfigMap? FilesConfigMap, V1ConfigMap? ExecutorTemplateConfigMap = null)
{
    /// <summary>The Secret with the secret-like conf, if any.</summary>
    public V1Secret? ConfSecret { get; init; }

    /// <summary>All of them, in creation order.</summary>
    public IEnumerable<IKubernetesObject<V1ObjectMeta>> All
    {
        get
        {
            yield return ConfConfigMap;
            yield return DriverService;
            if (FilesConfigMap is not null) yield return FilesConfigMap;
            if (ExecutorTemplateConfigMap is not null) yield return ExecutorTemplateConfigMap;
            if (ConfSecret is not null) yield return ConfSecret;
        }
    }
}
