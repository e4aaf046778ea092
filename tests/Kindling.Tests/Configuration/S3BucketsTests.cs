using Kindling.Configuration;

namespace Kindling.Tests.Configuration;

public sealed class S3BucketsTests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("my-data.example.com")]
    [InlineData("1-numbers-first")]
    public void Valid_names_pass(string name) => S3Buckets.Problem(name).Should().BeNull();

    [Theory]
    [InlineData("s3a://data/x", "data")]
    [InlineData("s3a://data", "data")]
    [InlineData("s3://data/x", null)]
    [InlineData("s3a:///x", null)]
    public void The_bucket_of_an_s3a_location(string location, string? bucket) => S3Buckets.OfS3aUri(location).Should().Be(bucket);

    [Fact]
    public void Granted_buckets_add_the_upload_bucket_sorted_and_once()
    {
        var spec = new EnvironmentSpec
        {
            Spark = new SparkSpec { FileUploadPath = "s3a://b-uploads/kindling" },
            Aws = new AwsSpec { S3Buckets = ["c-raw", "b-uploads", "a-curated"] },
        };

        S3Buckets.Granted(spec).Should().Equal("a-curated", "b-uploads", "c-raw");
        S3Buckets.Granted(new EnvironmentSpec()).Should().BeEmpty();
    }

    [Fact]
    public void Valid_buckets_load_from_yaml()
    {
        var spec = ConfigLoader.Parse("aws:\n  s3Buckets:\n    - raw-data\n    - curated.example\n", "k.yaml");

        spec.Aws.S3Buckets.Should().Equal("raw-data", "curated.example");
    }
}
