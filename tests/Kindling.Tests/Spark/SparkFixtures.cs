using k8s.Models;
using Kindling.Spark;

namespace Kindling.Tests.Spark;

/// <summary>Fixed inputs for deterministic Spark objects.</summary>
internal static class SparkFixtures
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 1, 2, 3, TimeSpan.Zero);

    public static SparkIdGenerator Ids(int seed = 7) => SparkIdGenerator.Deterministic(new FixedTime(Now), seed);

    public static SparkSubmitTarget Target => new()
    {
        Namespace = "analytics",
        Image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark:3.5.5-abc123",
        ServiceAccount = "kindling-spark",
        SparkVersion = "3.5.5",
        SparkUser = "alice",
    };

    /// <summary>The driver pod as the API server returns it after creation: same name, a uid assigned.</summary>
    public static V1Pod Created(V1Pod pod, string uid = "0b7f3c2e-4a5d-4e8f-9c1b-2d3e4f5a6b7c") =>
        new() { ApiVersion = "v1", Kind = "Pod", Metadata = new V1ObjectMeta { Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty, Uid = uid } };

    public sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
