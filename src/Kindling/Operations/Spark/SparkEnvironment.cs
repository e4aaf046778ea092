using Kindling.Configuration;
using Kindling.Spark;

namespace Kindling.Operations.Spark;

/// <summary>Builds the <see cref="SparkApplications"/> client of an environment.</summary>
public static class SparkEnvironment
{
    /// <summary>
    /// The client settings of the environment: its namespace, the Spark image (the same reference <c>images
    /// build</c> and <c>up</c> use), its ServiceAccount, and S3 through <c>aws.endpoint</c>.
    /// </summary>
    public static SparkApplicationsOptions ClientOptions(EnvironmentContext environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var spec = environment.Spec;
        return new SparkApplicationsOptions
        {
            Namespace = spec.Namespace,
            EnvironmentName = spec.Name,
            // A laptop cluster has no IRSA: the role in local state belongs to Kindling's EKS, never to it.
            Target = Placed(SparkSubmitTarget.For(spec, environment.Images.Spark, environment.SparkUser,
                    environment.Cluster.IsLocal ? null : environment.State.Terraform?.SparkRoleArn),
                SparkPlacement.For(spec, OnKindlingEks(environment))),
            NotebookPodPrefix = environment.Names.JupyterDeployment + "-",
            S3Client = spec.Storage.Local ? () => throw LocalStoreUnreachable(spec) : () => S3Uploader.CreateClient(spec.Aws.Region, spec.Aws.Endpoint, AwsKeys(environment.Tools.GetVariable)),
            History = SparkHistoryOptions.For(spec),
            ResolvePath = environment.ResolvePath,
            Ids = environment.Ids,
            Progress = environment.Progress,
        };
    }

    /// <summary>
    /// With <c>storage.local</c>, <c>s3a://</c> means the in-cluster store, which this machine does not reach: S3 from
    /// here (uploading local files for a submission, reading archived driver logs) fails with this rather than send
    /// the request, with this machine's AWS credentials, to an Amazon S3 bucket of the same name.
    /// </summary>
    internal static KindlingException LocalStoreUnreachable(EnvironmentSpec spec)
    {
        var store = Resources.ObjectStoreNames.Of(spec.Name);
        return new KindlingException(
            $"this needs S3 from this machine, but with storage.local s3a:// is the in-cluster object store, which Kindling reaches only from inside the cluster; " +
            $"use files inside the image (local://...) or copy them into the store with any S3 client through 'kubectl -n {spec.Namespace} port-forward svc/{store} {Resources.ObjectStoreNames.Port}' " +
            $"and the credentials in Secret {store}");
    }

    /// <summary>
    /// AWS keys of the run's own environment (the CLI's, which tests set per run), else null for the SDK's default
    /// chain: the same environment decides for in-process S3 as for every tool Kindling starts.
    /// </summary>
    private static Amazon.Runtime.AWSCredentials? AwsKeys(Func<string, string?> variable) =>
        (variable("AWS_ACCESS_KEY_ID"), variable("AWS_SECRET_ACCESS_KEY"), variable("AWS_SESSION_TOKEN")) switch
        {
            ({ Length: > 0 } id, { Length: > 0 } secret, { Length: > 0 } token) => new Amazon.Runtime.SessionAWSCredentials(id, secret, token),
            ({ Length: > 0 } id, { Length: > 0 } secret, _) => new Amazon.Runtime.BasicAWSCredentials(id, secret),
            _ => null,
        };

    /// <summary>The client over the environment's connection (opened now); the context owns and closes it.</summary>
    public static SparkApplications Open(EnvironmentContext environment, SparkApplicationsOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new SparkApplications(environment.Connection, clientOptions ?? ClientOptions(environment));
    }

    /// <summary>
    /// Submissions are placed as the notebook is (issue: spot interruptions lose executors, never drivers): the
    /// driver's node selector through <c>spark.kubernetes.driver.node.selector.*</c>, which the driver pod builder
    /// applies as Spark's BasicDriverFeatureStep does (a user's conf wins), and the executors' through the template.
    /// </summary>
    internal static SparkSubmitTarget Placed(SparkSubmitTarget target, SparkPlacement placement)
    {
        if (placement.DriverNodeSelector.Count == 0) return target with { Placement = placement };
        var conf = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in placement.DriverNodeSelector) conf[$"spark.kubernetes.driver.node.selector.{k}"] = v;
        foreach (var (k, v) in target.BaseConf) conf[k] = v;
        return target with { Placement = placement, BaseConf = conf };
    }

    /// <summary>
    /// The placement decision needs the connection's API server; a dry run may have no cluster at all, and then
    /// decides from local state alone (a real submit opens the connection and reports its problems itself).
    /// </summary>
    private static bool OnKindlingEks(EnvironmentContext environment)
    {
        try
        {
            return environment.OnKindlingEks;
        }
        catch (KindlingException)
        {
            return KindlingEks.RunsOn(environment.Spec, environment.State);
        }
    }
}
