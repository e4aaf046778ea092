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
            Target = SparkSubmitTarget.For(spec, environment.Images.Spark, environment.SparkUser, environment.State.Terraform?.SparkRoleArn),
            NotebookPodPrefix = environment.Names.JupyterDeployment + "-",
            S3Client = () => S3Uploader.CreateClient(spec.Aws.Region, spec.Aws.Endpoint),
            ResolvePath = environment.ResolvePath,
            Ids = environment.Ids,
            Progress = environment.Progress,
        };
    }

    /// <summary>The client over the environment's connection (opened now); the context owns and closes it.</summary>
    public static SparkApplications Open(EnvironmentContext environment, SparkApplicationsOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new SparkApplications(environment.Connection, clientOptions ?? ClientOptions(environment));
    }
}
