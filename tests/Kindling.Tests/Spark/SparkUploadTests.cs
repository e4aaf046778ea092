using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Kindling.Operations.Spark;
using Kindling.Spark;
using Kindling.Testing.Processes;

namespace Kindling.Tests.Spark;

public sealed class SparkUploadTests
{
    [Fact]
    public async Task Large_local_files_are_uploaded_to_the_upload_path_in_moto_s3()
    {
        await using var moto = await MotoServer.StartAsync();
        var env = MotoServer.ClientEnvironment;
        using var s3 = S3Uploader.CreateClient("us-west-2", moto.Endpoint, new BasicAWSCredentials(env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]));
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "jobs", BucketRegionName = "us-west-2" });
        using var dir = new TempDir();
        var big = new byte[1536 * 1024];
        new Random(3).NextBytes(big);
        File.WriteAllBytes(dir.File("app.jar"), big);
        dir.Write("deps.py", "X = 1\n");
        var spec = new SparkApplicationSpec { Resource = "app.jar", MainClass = "a.Main", PyFiles = ["deps.py"] };
        var ids = SparkFixtures.Ids().Next();

        var shipping = SparkFileShipping.Plan(spec, ids, "s3a://jobs/uploads", p => Path.GetFullPath(p, dir.Path));
        var progress = new RecordingProgress();
        await S3Uploader.UploadAsync(s3, shipping.Uploads, progress, CancellationToken.None);

        shipping.Sources.ShippedFiles.Should().BeEmpty();
        // A local jar is spark-internal on the command line and reaches the driver through spark.jars.
        shipping.Sources.MainResource.Should().Be("spark-internal");
        shipping.Sources.Jars.Should().Equal($"s3a://jobs/uploads/spark-upload-{ids.UploadId}/app.jar");
        shipping.Sources.PyFiles.Should().Equal($"s3a://jobs/uploads/spark-upload-{ids.UploadDir(1)}/deps.py");
        using var stored = await s3.GetObjectAsync("jobs", $"uploads/spark-upload-{ids.UploadId}/app.jar");
        using var copy = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(copy);
        copy.ToArray().Should().Equal(big);
        progress.Events.Should().Contain(e => e.Status == ProgressStatus.Done && e.Subject.EndsWith("app.jar", StringComparison.Ordinal));
    }

    [Fact]
    public void Small_local_files_travel_in_a_config_map()
    {
        using var dir = new TempDir();
        dir.Write("app.py", "print(1)\n");
        var spec = new SparkApplicationSpec { Resource = "app.py", PyFiles = ["s3a://libs/common.zip"] };

        var shipping = SparkFileShipping.Plan(spec, SparkFixtures.Ids().Next(), uploadPath: null, p => Path.GetFullPath(p, dir.Path));

        shipping.Uploads.Should().BeEmpty();
        shipping.Sources.MainResource.Should().Be("local:///opt/kindling/app/app.py");
        shipping.Sources.PyFiles.Should().Equal("s3a://libs/common.zip");
        shipping.Sources.ShippedFiles.Should().ContainSingle().Which.Name.Should().Be("app.py");
    }

    [Fact]
    public void Large_files_without_an_upload_path_are_bad_input()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("app.jar"), new byte[2 * 1024 * 1024]);
        var spec = new SparkApplicationSpec { Resource = "app.jar", MainClass = "a.Main" };

        var act = () => SparkFileShipping.Plan(spec, SparkFixtures.Ids().Next(), uploadPath: null, p => Path.GetFullPath(p, dir.Path));

        act.Should().Throw<InvalidInputException>().Which.Errors.Single().Message.Should().Contain("spark.fileUploadPath");
    }
}
