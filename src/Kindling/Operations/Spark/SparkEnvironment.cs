using Kindling.Cluster;
using Kindling.Configuration;
using Kindling.Images;
using Kindling.Resources;
using Kindling.Spark;

namespace Kindling.Operations.Spark;

/// <summary>What the Spark commands share: the environment, the cluster and the submitting user.</summary>
public sealed record SparkEnvironmentOptions
{
    /// <summary>The loaded kindling.yaml (or the built-in defaults).</summary>
    public required LoadedConfig Config { get; init; }

    /// <summary>The directory relative paths (application files, state) are resolved against.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>How to reach the cluster.</summary>
    public required KubeConnectionOptions Connection { get; init; }

    /// <summary><c>SPARK_USER</c> of submissions.</summary>
    public string SparkUser { get; init; } = Environment.UserName;

    /// <summary>Receives progress.</summary>
    public Action<ProgressEvent> Progress { get; init; } = _ => { };

    /// <summary>
    /// AWS credentials for S3 (uploads, archived driver logs); null uses the SDK's default chain. The CLI passes
    /// the keys of its own environment, so a run's environment decides, as it does for every tool Kindling starts.
    /// </summary>
    public Amazon.Runtime.AWSCredentials? AwsCredentials { get; init; }

    /// <summary>Random and time source of application ids.</summary>
    public SparkIdGenerator Ids { get; init; } = SparkIdGenerator.System;
}

/// <summary>Builds the <see cref="SparkApplications"/> client of an environment.</summary>
public static class SparkEnvironment
{
    /// <summary>
    /// The client settings of the environment: its namespace, the Spark image (config, registry or Terraform
    /// outputs, with the same tag <c>images build</c> uses), its ServiceAccount, and S3 through <c>aws.endpoint</c>.
    /// </summary>
    public static SparkApplicationsOptions ClientOptions(SparkEnvironmentOptions options)
    {
        var spec = options.Config.Spec;
        var state = LocalStateStore.For(options.Config.SourcePath, options.WorkingDirectory).Load();
        var images = ImageResolver.Resolve(spec, state);
        return new SparkApplicationsOptions
        {
            Namespace = spec.Namespace,
            Target = SparkSubmitTarget.For(spec, images.Spark, options.SparkUser, state.Terraform?.SparkRoleArn),
            NotebookPodPrefix = new ResourceNames(spec.Name).JupyterDeployment + "-",
            S3Client = () => S3Uploader.CreateClient(spec.Aws.Region, spec.Aws.Endpoint, options.AwsCredentials),
            History = SparkHistoryOptions.For(spec),
            ResolvePath = path => Path.GetFullPath(path, options.WorkingDirectory),
            Ids = options.Ids,
            Progress = options.Progress,
        };
    }

    /// <summary>Opens the cluster connection and the client; dispose the connection when done.</summary>
    public static (KubeConnection Connection, SparkApplications Applications) Open(SparkEnvironmentOptions options, SparkApplicationsOptions? clientOptions = null)
    {
        var connection = KubeConnection.Open(options.Connection);
        return (connection, new SparkApplications(connection, clientOptions ?? ClientOptions(options)));
    }
}
