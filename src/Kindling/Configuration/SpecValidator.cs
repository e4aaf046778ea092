using System.Text.RegularExpressions;

namespace Kindling.Configuration;

/// <summary>One validation finding: the key path and the problem.</summary>
internal sealed record SpecProblem(string Path, string Message);

/// <summary>
/// Semantic checks of a bound <see cref="EnvironmentSpec"/>. Pure: it sees only the spec and reports every
/// problem it finds, keyed by path; the loader attaches file locations.
/// </summary>
internal static partial class SpecValidator
{
    /// <summary>The three availability zones an EKS environment spreads over.</summary>
    public const int AvailabilityZoneCount = 3;

    public static IReadOnlyList<SpecProblem> Validate(EnvironmentSpec spec)
    {
        var problems = new List<SpecProblem>();
        void Check(string path, string? problem)
        {
            if (problem is not null) problems.Add(new SpecProblem(path, problem));
        }

        // The name prefixes every object name; the longest suffix is "-jupyter-token" (14), and names stay under 63.
        Check("name", Formats.Dns1123Label(spec.Name, maxLength: 40));
        Check("namespace", NamespaceRules.Problem(spec.Namespace));

        ValidateSpark(spec.Spark, Check);
        ImageSpecValidator.Validate(spec, Check);
        ValidateNotebook(spec.Notebook, Check);
        ValidatePorts(spec, Check);

        if (spec.Images.Registry is { } registry) Check("images.registry", Formats.Registry(registry));
        if (spec.Images.Tag is { } tag) Check("images.tag", Formats.ImageTag(tag));
        if (!spec.Images.Build)
        {
            // Reported at images.build, the key the user wrote, since the missing image keys are not in the file.
            if (spec.Spark.Image is null)
                Check("images.build", "is false, so give the Spark image to use in spark.image");
            if (spec.Notebook.Image is null)
                Check("images.build", "is false, so give the Jupyter image to use in notebook.image");
        }

        ValidateAws(spec.Aws, Check);
        HistoryValidator.Validate(spec, Check);
        ClusterSpecValidator.Validate(spec, Check);
        StorageValidator.Validate(spec, Check);
        if (spec.Terraform.PluginDir is { Length: 0 })
            Check("terraform.pluginDir", "must not be empty; remove the key to download providers");
        return problems;
    }

    private static void ValidateSpark(SparkSpec spark, Action<string, string?> check)
    {
        // Version, Scala, Java and Python are checked against the official image table by ImageSpecValidator.
        if (spark.Image is { } image) check("spark.image", Formats.ImageReference(image));

        check("spark.executors.instances", spark.Executors.Instances > 0 ? null : "must be greater than 0");
        check("spark.executors.cores", spark.Executors.Cores > 0 ? null : "must be greater than 0");
        check("spark.executors.memory", Formats.JvmMemory(spark.Executors.Memory));
        check("spark.driver.cores", spark.Driver.Cores > 0 ? null : "must be greater than 0");
        check("spark.driver.memory", Formats.JvmMemory(spark.Driver.Memory));

        var da = spark.DynamicAllocation;
        check("spark.dynamicAllocation.minExecutors", da.MinExecutors >= 0 ? null : "must be 0 or more");
        check("spark.dynamicAllocation.maxExecutors",
            da.MaxExecutors <= 0 ? "must be greater than 0"
            : da.MaxExecutors < da.MinExecutors ? $"must be at least minExecutors ({da.MinExecutors})"
            : null);
        check("spark.dynamicAllocation.idleTimeout", Formats.SparkDuration(da.IdleTimeout));
        // Spark starts max(minExecutors, initialExecutors, spark.executor.instances) executors under dynamic
        // allocation (Utils.getDynamicAllocationInitialExecutors), so instances above the cap defeat it.
        if (da.Enabled && spark.Executors.Instances > da.MaxExecutors && da.MaxExecutors > 0)
            check("spark.executors.instances", $"{spark.Executors.Instances} is above spark.dynamicAllocation.maxExecutors ({da.MaxExecutors}): Spark would start more executors than the cap; lower it or raise maxExecutors");

        if (spark.FileUploadPath is { } upload)
        {
            // The bucket is granted to the Spark IRSA role, so it must be a name IAM and S3 accept.
            check("spark.fileUploadPath", S3Buckets.OfS3aUri(upload) is { } bucket
                ? S3Buckets.Problem(bucket)
                : $"'{upload}' is not an s3a:// location; use e.g. s3a://my-bucket/kindling/uploads");
        }

        foreach (var (key, _) in spark.Conf)
        {
            var path = $"spark.conf[{key}]";
            if (!key.StartsWith("spark.", StringComparison.Ordinal))
                check(path, $"'{key}' is not a Spark configuration key; keys start with 'spark.'");
            else if (Kindling.Spark.ManagedSparkConf.Keys.TryGetValue(key, out var why))
                check(path, $"'{key}' is set by Kindling: {why}");
        }
    }

    private static void ValidateNotebook(NotebookSpec notebook, Action<string, string?> check)
    {
        if (notebook.Image is { } image) check("notebook.image", Formats.ImageReference(image));
        check("notebook.cpu", Formats.PositiveQuantity(notebook.Cpu));
        check("notebook.memory", Formats.MemoryQuantity(notebook.Memory));
        check("notebook.storageSize", Formats.MemoryQuantity(notebook.StorageSize));
        if (notebook.StorageClass is { } storageClass) check("notebook.storageClass", Formats.Dns1123Subdomain(storageClass));
    }

    private static void ValidatePorts(EnvironmentSpec spec, Action<string, string?> check)
    {
        var sessions = spec.Spark.NotebookSessions;
        if (sessions is < 1 or > Kindling.Spark.NotebookSessionPorts.MaxSessions)
        {
            check("spark.notebookSessions", $"{sessions} is out of range; use 1-{Kindling.Spark.NotebookSessionPorts.MaxSessions}");
            sessions = 1;
        }
        // Every session's ports (session i: driverPort + 2i, blockManagerPort + 2i, uiPort + i) must be distinct.
        var ports = Kindling.Spark.NotebookSessionPorts.For(spec.Spark with { NotebookSessions = sessions }).AllPorts()
            .Append(("notebook.port", spec.Notebook.Port));
        var seen = new Dictionary<int, string>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, port) in ports)
        {
            if (reported.Contains(path)) continue;
            // Ports under 1024 need privileges the non-root notebook container does not have.
            string? problem = null;
            if (port is < 1024 or > 65535) problem = $"{port} is not a usable port; use 1024-65535 (with spark.notebookSessions: {sessions}, session ports go up to {port})";
            else if (seen.TryGetValue(port, out var other) && other != path) problem = $"{port} is already used by {other}; the notebook's {sessions} Spark session(s) need distinct ports (session i uses driverPort + 2i and blockManagerPort + 2i)";
            else seen.TryAdd(port, path);
            if (problem is not null)
            {
                check(path, problem);
                reported.Add(path);
            }
        }
    }

    private static void ValidateAws(AwsSpec aws, Action<string, string?> check)
    {
        var regionOk = RegionRegex().IsMatch(aws.Region);
        check("aws.region", regionOk ? null : $"'{aws.Region}' is not an AWS region; use e.g. eu-west-1");
        check("aws.clusterName", ClusterNameRegex().IsMatch(aws.ClusterName)
            ? AwsDerivedNames.LengthProblem(aws.ClusterName)
            : $"must start with a letter or digit and hold only letters, digits, '-' and '_' (at most {AwsDerivedNames.MaxClusterNameLength})");
        check("aws.nodeInstanceType", InstanceTypeRegex().IsMatch(aws.NodeInstanceType) ? null : $"'{aws.NodeInstanceType}' is not an EC2 instance type; use e.g. m5.large");
        if (aws.Endpoint is { } endpoint) check("aws.endpoint", AwsEndpoint.Check(endpoint));
        EksSpecValidator.Validate(aws, check);

        var buckets = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < aws.S3Buckets.Count; i++)
        {
            var bucket = aws.S3Buckets[i];
            check($"aws.s3Buckets[{i}]", S3Buckets.Problem(bucket) ?? (buckets.Add(bucket) ? null : $"'{bucket}' is listed twice; keep one"));
        }

        var ng = aws.NodeGroup;
        check("aws.nodeGroup.min", ng.Min >= 0 ? null : "must be 0 or more");
        check("aws.nodeGroup.max", ng.Max < 1 ? "must be at least 1" : ng.Max < ng.Min ? $"must be at least min ({ng.Min})" : null);
        if (ng.Max >= ng.Min)
            check("aws.nodeGroup.desired", ng.Desired < ng.Min || ng.Desired > ng.Max ? $"must be between min ({ng.Min}) and max ({ng.Max})" : null);

        var vpcProblem = Formats.Ipv4Cidr(aws.VpcCidr, out var vpc);
        if (vpcProblem is null && vpc.Prefix is < 16 or > 28) vpcProblem = "AWS VPCs must be between /16 and /28";
        check("aws.vpcCidr", vpcProblem);

        var zones = aws.AvailabilityZones;
        if (zones.Count != AvailabilityZoneCount)
            check("aws.availabilityZones", $"lists {zones.Count} zone(s); Kindling spreads the VPC over exactly {AvailabilityZoneCount} availability zones, each with a publicSubnet and a privateSubnet");

        var subnets = new List<(string Path, Ipv4Block Block)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < zones.Count; i++)
        {
            var zone = zones[i];
            var path = $"aws.availabilityZones[{i}]";
            if (zone.Name.Length == 0) check($"{path}.name", "is required, e.g. eu-west-1a");
            else if (!names.Add(zone.Name)) check($"{path}.name", $"'{zone.Name}' is listed twice; use three different zones");
            else if (regionOk && !(zone.Name.StartsWith(aws.Region, StringComparison.Ordinal) && AzSuffixRegex().IsMatch(zone.Name[aws.Region.Length..])))
                check($"{path}.name", $"'{zone.Name}' is not a zone of region {aws.Region}; use e.g. {aws.Region}{(char)('a' + i)}");

            foreach (var (key, cidr) in new[] { ("publicSubnet", zone.PublicSubnet), ("privateSubnet", zone.PrivateSubnet) })
            {
                var subnetPath = $"{path}.{key}";
                if (cidr.Length == 0)
                {
                    check(subnetPath, "is required: every zone needs a public and a private subnet");
                    continue;
                }
                var problem = Formats.Ipv4Cidr(cidr, out var block);
                if (problem is null && vpcProblem is null && !vpc.Contains(block)) problem = $"{cidr} is not inside the VPC {aws.VpcCidr}";
                if (problem is null && block.Prefix > 28) problem = "AWS subnets must be /28 or larger";
                if (problem is null)
                {
                    var clash = subnets.FirstOrDefault(s => s.Block.Overlaps(block));
                    if (clash.Path is not null) problem = $"{cidr} overlaps {clash.Path} ({clash.Block})";
                    else subnets.Add((subnetPath, block));
                }
                check(subnetPath, problem);
            }
        }
    }

    [GeneratedRegex(@"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$")]
    private static partial Regex RegionRegex();

    [GeneratedRegex("^[a-z]$")]
    private static partial Regex AzSuffixRegex();

    [GeneratedRegex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$")]
    private static partial Regex ClusterNameRegex();

    [GeneratedRegex(@"^[a-z][a-z0-9-]*\.[a-z0-9]+$")]
    private static partial Regex InstanceTypeRegex();
}
