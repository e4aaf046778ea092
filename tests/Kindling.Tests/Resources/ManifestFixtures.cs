using Kindling.Configuration;
using Kindling.Images;
using Kindling.Resources;

namespace Kindling.Tests.Resources;

/// <summary>Fixed inputs so the objects are reproducible: an injected token and fixed image references.</summary>
internal static class ManifestFixtures
{
    /// <summary>Not a real token; distinctive enough that a leak into any other object is easy to find.</summary>
    public const string Token = "golden-token-6f1c2d9e8a7b4c3d";

    public static readonly ResolvedImages Images = new(
        "registry.example.com/kindling/spark:3.5.5-test",
        "registry.example.com/kindling/jupyter:3.5.5-test",
        ImageSource.Registry,
        ImageSource.Registry);

    public static ManifestInputs Default() => new(new EnvironmentSpec(), Images, Token);

    /// <summary>A custom namespace, a StorageClass and extra conf, inserted out of order on purpose.</summary>
    public static ManifestInputs Variant()
    {
        var defaults = new EnvironmentSpec();
        var spec = defaults with
        {
            Namespace = "data-team",
            Notebook = defaults.Notebook with { StorageClass = "gp3", StorageSize = "50Gi" },
            Spark = defaults.Spark with
            {
                Conf = new Dictionary<string, string>
                {
                    ["spark.sql.shuffle.partitions"] = "64",
                    ["spark.hadoop.fs.s3a.aws.credentials.provider"] = "com.amazonaws.auth.WebIdentityTokenCredentialsProvider",
                    ["spark.eventLog.enabled"] = "true",
                },
            },
        };
        return new ManifestInputs(spec, Images, Token);
    }

    /// <summary>An applied module's IRSA role (a fixed, made-up account).</summary>
    public const string SparkRoleArn = "arn:aws:iam::123456789012:role/kindling-spark";

    /// <summary>The defaults after 'infra apply': the Spark role is known.</summary>
    public static ManifestInputs Irsa() => Default() with { SparkRoleArn = SparkRoleArn };

    /// <summary>The History Server's read-only IRSA role.</summary>
    public const string HistoryRoleArn = "arn:aws:iam::123456789012:role/kindling-spark-history";

    /// <summary>History on by default through a bucket, with IRSA roles for Spark and the History Server.</summary>
    public static ManifestInputs History()
    {
        var defaults = new EnvironmentSpec();
        var spec = defaults with { Aws = defaults.Aws with { S3Buckets = ["analytics-data"] }, History = defaults.History with { MaxAge = "14d" } };
        return new ManifestInputs(spec, Images, Token) { SparkRoleArn = SparkRoleArn, HistoryRoleArn = HistoryRoleArn };
    }

    /// <summary>Spark 4 with explicit log locations and History Server sizing, without IRSA.</summary>
    public static ManifestInputs History4()
    {
        var defaults = new EnvironmentSpec();
        var spec = defaults with
        {
            Name = "lake",
            Spark = defaults.Spark with { Version = "4.0.1", ScalaVersion = "2.13" },
            History = new HistorySpec { EventLogDir = "s3a://logs-bucket/events/lake/", Cpu = "1", Memory = "3Gi" },
        };
        return new ManifestInputs(spec, Images, Token);
    }

    /// <summary>The Cluster Autoscaler's IRSA role.</summary>
    public const string ClusterAutoscalerRoleArn = "arn:aws:iam::123456789012:role/kindling-cluster-autoscaler";

    /// <summary>
    /// On Kindling's EKS after 'infra apply', with a spot executor node group: the gp3 StorageClass the PVC names,
    /// the autoscaler and the placement.
    /// </summary>
    public static ManifestInputs Eks()
    {
        var defaults = new EnvironmentSpec();
        var spec = defaults with { Aws = defaults.Aws with { ExecutorNodes = new ExecutorNodesSpec() } };
        return new ManifestInputs(spec, Images, Token) { SparkRoleArn = SparkRoleArn, ClusterAutoscalerRoleArn = ClusterAutoscalerRoleArn, OnKindlingEks = true };
    }

    /// <summary>A kind cluster with the in-cluster object store (<c>storage.local</c>) and history on through it.</summary>
    public static ManifestInputs LocalStore(string sparkVersion = "3.5.5")
    {
        var defaults = new EnvironmentSpec();
        var spec = defaults with
        {
            Cluster = new ClusterSpec { Kind = ClusterKinds.Kind },
            Storage = new StorageSpec { Local = true },
            Spark = defaults.Spark with { Version = sparkVersion, ScalaVersion = sparkVersion.StartsWith('3') ? "2.12" : "2.13" },
        };
        return new ManifestInputs(spec, Images, Token);
    }

    public static ManifestInputs ByName(string variant) => variant switch
    {
        "localstore" => LocalStore(),
        "history" => History(),
        "history4" => History4(),
        "default" => Default(),
        "eks" => Eks(),
        "variant" => Variant(),
        "irsa" => Irsa(),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
    };
}
