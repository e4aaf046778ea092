using Kindling.Configuration;

namespace Kindling.Tests.LocalStore;

/// <summary><c>storage:</c> in kindling.yaml: binding, defaults, and located errors.</summary>
public sealed class LocalStoreConfigTests
{
    [Fact]
    public void Storage_is_off_by_default_and_binds_every_key()
    {
        new EnvironmentSpec().Storage.Local.Should().BeFalse();
        var spec = ConfigLoader.Parse(
            "cluster:\n  kind: kind\nstorage:\n  local: true\n  bucket: lake\n  size: 5Gi\n  storageClass: local-path\n  cpu: \"1\"\n  memory: 2Gi\n",
            "kindling.yaml");
        spec.Storage.Should().Be(new StorageSpec { Local = true, Bucket = "lake", Size = "5Gi", StorageClass = "local-path", Cpu = "1", Memory = "2Gi" });
    }

    [Theory]
    [InlineData("storage:\n  local: true\n  bucket: |Not_A_Bucket\n", "storage.bucket", "is not an S3 bucket name")]
    [InlineData("storage:\n  size: |lots\n", "storage.size", "")]
    [InlineData("storage:\n  memory: |12x\n", "storage.memory", "")]
    [InlineData("storage:\n  image: |\"Not An Image!\"\n", "storage.image", "not an image reference")]
    [InlineData("storage:\n  storageClass: |Fast_SSD\n", "storage.storageClass", "")]
    [InlineData("cluster:\n  kind: eks\nstorage:\n  local: |true\n", "storage.local", "Amazon S3 is the object store")]
    public void Bad_storage_is_a_located_error(string marked, string path, string message)
    {
        var index = marked.IndexOf('|', StringComparison.Ordinal);
        var before = marked[..index];
        var line = before.Count(c => c == '\n') + 1;
        var column = index - (before.LastIndexOf('\n') + 1) + 1;

        var error = FluentActions.Invoking(() => ConfigLoader.Parse(marked.Remove(index, 1), "kindling.yaml"))
            .Should().Throw<ConfigValidationException>().Which.Errors.Should().ContainSingle().Which;

        error.Path.Should().Be(path);
        error.ToString().Should().StartWith($"kindling.yaml:{line}:{column} {path}: ");
        if (message.Length > 0) error.Message.Should().Contain(message);
    }

    [Fact]
    public void The_store_gives_history_its_default_location_without_any_bucket_in_aws()
    {
        var spec = new EnvironmentSpec { Storage = new StorageSpec { Local = true } };

        var history = HistoryLocations.Of(spec);

        history.Should().Be(new HistoryLocations("s3a://kindling/spark-events/kindling", "s3a://kindling/spark-driver-logs/kindling"));
        HistoryLocations.WhyOff(new EnvironmentSpec()).Should().Contain("storage.local: true");
    }

    [Fact]
    public void The_store_bucket_wins_over_aws_buckets_and_an_explicit_event_log_dir_wins_over_both()
    {
        var spec = new EnvironmentSpec { Storage = new StorageSpec { Local = true, Bucket = "lake" }, Aws = new AwsSpec { S3Buckets = ["real-s3-bucket"] } };
        HistoryLocations.Of(spec)!.EventLogDir.Should().Be("s3a://lake/spark-events/kindling");

        var explicitDir = spec with { History = new HistorySpec { EventLogDir = "s3a://logs/events" } };
        HistoryLocations.Of(explicitDir)!.EventLogDir.Should().Be("s3a://logs/events");
    }

    [Fact]
    public void History_enabled_true_is_satisfied_by_the_store()
    {
        FluentActions.Invoking(() => ConfigLoader.Parse("cluster:\n  kind: kind\nstorage:\n  local: true\nhistory:\n  enabled: true\n", "kindling.yaml"))
            .Should().NotThrow();
        FluentActions.Invoking(() => ConfigLoader.Parse("history:\n  enabled: true\n", "kindling.yaml"))
            .Should().Throw<ConfigValidationException>().Which.Errors.Single().Message.Should().Contain("storage.local: true");
    }

    [Fact]
    public void Fresh_credentials_are_random_and_never_shown_by_ToString()
    {
        var a = ObjectStoreCredentials.New();
        var b = ObjectStoreCredentials.New();

        a.Should().NotBe(b);
        a.AccessKeyId.Should().HaveLength(20);
        a.SecretAccessKey.Should().HaveLength(40);
        a.ToString().Should().NotContain(a.SecretAccessKey);
    }
}
