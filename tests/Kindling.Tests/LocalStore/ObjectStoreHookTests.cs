using Amazon.Runtime;
using Amazon.S3.Model;
using Kindling.Configuration;
using Kindling.Operations.Spark;
using Kindling.Resources;
using Kindling.Testing;
using Kindling.Testing.Processes;
using Kindling.Tests.Resources;

namespace Kindling.Tests.LocalStore;

/// <summary>
/// The store's postStart script, run for real with sh and curl (SigV4) against moto's S3 API: it creates the buckets
/// and the S3A directory markers the SDK then sees, and a second run (a restarted pod) changes nothing and succeeds.
/// </summary>
public sealed class ObjectStoreHookTests
{
    [Fact]
    public async Task The_hook_creates_the_buckets_and_log_directories_and_is_idempotent()
    {
        await using var moto = await MotoServer.StartAsync();
        var spec = ManifestFixtures.LocalStore().Spec with { Spark = ManifestFixtures.LocalStore().Spec.Spark with { FileUploadPath = "s3a://uploads/x" } };
        var script = ObjectStoreDirectories.Script(spec, moto.Endpoint);
        var sh = RequiredTool.Find("sh", "a POSIX shell");
        RequiredTool.Find("curl", "install curl 7.75 or later (--aws-sigv4)");
        var env = new Dictionary<string, string?>(MotoServer.ClientEnvironment) { ["AWS_ACCESS_KEY_ID"] = "KLTESTACCESSKEY00001", ["AWS_SECRET_ACCESS_KEY"] = "test-secret" };

        var first = await ToolRun.RunAsync(sh, ["-c", script], Path.GetTempPath(), env);
        first.ExitCode.Should().Be(0, first.ToString());

        using var s3 = S3Uploader.CreateClient(MotoServer.Region, moto.Endpoint, new BasicAWSCredentials("testing", "testing"));
        (await s3.ListBucketsAsync()).Buckets.Select(b => b.BucketName).Should().BeEquivalentTo("kindling", "uploads");
        var keys = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "kindling" })).S3Objects.Select(o => o.Key);
        keys.Should().BeEquivalentTo("spark-events/kindling/", "spark-driver-logs/kindling/");
        // What S3A's getFileStatus asks: a listing of the directory's prefix finds something.
        (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "kindling", Prefix = "spark-events/kindling/", MaxKeys = 2 })).KeyCount.Should().Be(1);

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "kindling", Key = "spark-events/kindling/app-1.zstd", ContentBody = "log" });
        var second = await ToolRun.RunAsync(sh, ["-c", script], Path.GetTempPath(), env);
        second.ExitCode.Should().Be(0, second.ToString());
        (await s3.GetObjectAsync("kindling", "spark-events/kindling/app-1.zstd")).ContentLength.Should().Be(3, "a re-run leaves existing data alone");
    }

    [Fact]
    public async Task The_hook_fails_when_nothing_answers_rather_than_leave_spark_without_directories()
    {
        var spec = ManifestFixtures.LocalStore().Spec;
        // A closed port: the wait loop gives up; shortened here by running the same script with a lower limit.
        var script = ObjectStoreDirectories.Script(spec, $"http://127.0.0.1:{FreePort.Next()}")
            .Replace($"-ge {ObjectStoreDirectories.WaitSeconds} ]", "-ge 2 ]", StringComparison.Ordinal);
        var sh = RequiredTool.Find("sh", "a POSIX shell");

        var run = await ToolRun.RunAsync(sh, ["-c", script], Path.GetTempPath(), new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "a", ["AWS_SECRET_ACCESS_KEY"] = "b" });

        run.ExitCode.Should().NotBe(0);
        run.Stderr.Should().Contain("did not answer");
    }
}
