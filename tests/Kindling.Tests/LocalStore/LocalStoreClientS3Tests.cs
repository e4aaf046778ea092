using Kindling.Configuration;
using Kindling.Operations;
using Kindling.Operations.Spark;

namespace Kindling.Tests.LocalStore;

/// <summary>
/// With <c>storage.local</c>, S3 from this machine (uploads for a submission, archived driver logs) is refused with
/// what to do instead, rather than sent with this machine's AWS credentials to an Amazon S3 bucket of the same name.
/// </summary>
public sealed class LocalStoreClientS3Tests
{
    [Fact]
    public void The_cli_never_sends_the_stores_s3a_paths_to_amazon_s3()
    {
        using var work = new TempDir();
        var spec = new EnvironmentSpec { Cluster = new ClusterSpec { Kind = ClusterKinds.Kind }, Storage = new StorageSpec { Local = true } };
        using var environment = new EnvironmentContext(new EnvironmentContextOptions { Config = new LoadedConfig(spec, null), WorkingDirectory = work.Path });

        var options = SparkEnvironment.ClientOptions(environment);

        FluentActions.Invoking(() => options.S3Client!()).Should().Throw<KindlingException>()
            .WithMessage("*in-cluster object store*port-forward svc/kindling-s3 8333*Secret kindling-s3*");
        using var s3 = SparkEnvironment.ClientOptions(new EnvironmentContext(new EnvironmentContextOptions { Config = new LoadedConfig(new EnvironmentSpec(), null), WorkingDirectory = work.Path })).S3Client!();
        s3.Should().NotBeNull("without storage.local S3 is Amazon S3 (or aws.endpoint) as before");
    }
}
