using System.Globalization;
using System.Text;

namespace Kindling.Configuration;

/// <summary>
/// The commented kindling.yaml that <c>kindling init</c> writes: every key, at the value of the given spec (the
/// defaults, for init). Parsing the output gives the same spec back; a test holds it to that.
/// </summary>
public static class ConfigTemplate
{
    /// <summary>Renders the commented YAML for <paramref name="spec"/>.</summary>
    public static string Render(EnvironmentSpec spec)
    {
        var w = new TemplateWriter();
        w.Comment("Kindling environment: Spark + Jupyter on Kubernetes. Every key is shown at its default.");
        w.Comment("Render it with 'kindling render', bring it up with 'kindling infra apply' and 'kindling up'.");
        w.Blank();
        w.Value("name", spec.Name, "Environment name: prefixes every Kubernetes object (DNS-1123 label, at most 40 characters).");
        w.Value("namespace", spec.Namespace, "Kubernetes namespace for the notebook, drivers and executors.");
        w.Blank();

        w.Section("spark", "Spark: one pinned build for the notebook driver and the executors.");
        var s = spec.Spark;
        w.Value("version", s.Version, "Apache Spark release: 3.5.0-3.5.8 (Scala 2.12, Java 11/17), 4.0.0-4.0.3 or 4.1.0-4.1.2 (Scala 2.13, Java 17/21).");
        w.Value("scalaVersion", s.ScalaVersion, "Scala build in the official image tag (2.12 or 2.13; Spark 4 is 2.13 only).");
        w.Value("javaVersion", s.JavaVersion, "Java in the official image tag (11, 17 or 21).");
        w.Value("pythonVersion", s.PythonVersion, "Python major.minor of the official image (3.10 on Ubuntu 22.04); kernel and executors share it.");
        w.Strings("packages", s.Packages, "Maven coordinates (group:artifact:version) baked into the Spark image's jars at build time.");
        w.Strings("pythonPackages", s.PythonPackages, "pip requirements baked into both images at build time (pandas and pyarrow are there).");
        w.Value("image", s.Image, "Explicit Spark image; null builds it into images.registry or the ECR repository.");
        w.Section("executors", "Executor sizing (spark.executor.*).");
        w.Value("instances", s.Executors.Instances, "Initial executors per application.");
        w.Value("cores", s.Executors.Cores, "Cores per executor.");
        w.Value("memory", s.Executors.Memory, "JVM heap per executor; the pod asks for this plus overhead (at least 384Mi).");
        w.End();
        w.Section("driver", "Driver sizing for 'kindling submit' (the notebook's own size is under notebook).");
        w.Value("cores", s.Driver.Cores, "Driver cores.");
        w.Value("memory", s.Driver.Memory, "Driver JVM heap.");
        w.End();
        w.Section("dynamicAllocation", "Idle sessions give executors back (shuffle tracking; no external shuffle service).");
        w.Value("enabled", s.DynamicAllocation.Enabled, null);
        w.Value("minExecutors", s.DynamicAllocation.MinExecutors, "0 lets an idle notebook hold no executors.");
        w.Value("maxExecutors", s.DynamicAllocation.MaxExecutors, null);
        w.Value("idleTimeout", s.DynamicAllocation.IdleTimeout, "Release an executor idle this long (Spark duration).");
        w.End();
        w.Value("driverPort", s.DriverPort, "Fixed driver RPC port, exposed by the headless Service and NetworkPolicy.");
        w.Value("blockManagerPort", s.BlockManagerPort, "Fixed driver block manager port.");
        w.Value("uiPort", s.UiPort, "Spark UI port.");
        w.Value("notebookSessions", s.NotebookSessions, "Spark sessions the notebook can run at once; session i uses driverPort+2i and blockManagerPort+2i.");
        w.Value("fileUploadPath", s.FileUploadPath, "s3a:// location for local files too large to ship in a ConfigMap.");
        w.Map("conf", s.Conf, "Extra Spark configuration for every session and submission (spark.* keys).");
        w.End();
        w.Blank();

        w.Section("notebook", "The Jupyter server; it is also the client-mode Spark driver.");
        var n = spec.Notebook;
        w.Value("image", n.Image, "Explicit Jupyter image; null builds it FROM the Spark image.");
        w.Value("cpu", n.Cpu, "CPU request and limit (Kubernetes quantity).");
        w.Value("memory", n.Memory, "Memory request and limit (Kubernetes quantity).");
        w.Value("storageSize", n.StorageSize, "Size of the notebooks' volume; kept by 'kindling down' unless --purge.");
        w.Value("storageClass", n.StorageClass, "StorageClass of the volume; null uses the cluster default.");
        w.Value("port", n.Port, "Port Jupyter listens on.");
        w.End();
        w.Blank();

        w.Section("images", "Where images live and whether Kindling builds them.");
        w.Value("registry", spec.Images.Registry, "Registry prefix; null uses the ECR repositories from 'kindling infra apply'.");
        w.Value("build", spec.Images.Build, "false: use spark.image and notebook.image as given.");
        w.Value("tag", spec.Images.Tag, "null derives <spark version>-<hash of the Dockerfiles>.");
        w.Value("platform", spec.Images.Platform, "linux/amd64 or linux/arm64; null follows aws.nodeInstanceType (Graviton: arm64).");
        w.End();
        w.Blank();

        w.Section("aws", "AWS infrastructure, provisioned by 'kindling infra apply' with Terraform.");
        var a = spec.Aws;
        w.Value("region", a.Region, null);
        w.Value("clusterName", a.ClusterName, "EKS cluster name.");
        w.Value("kubernetesVersion", a.KubernetesVersion, "EKS Kubernetes version.");
        w.Value("vpcCidr", a.VpcCidr, "VPC CIDR block (/16 to /28).");
        w.List("availabilityZones", "Exactly 3 zones, each with a public and a private subnet inside the VPC.");
        foreach (var zone in a.AvailabilityZones)
        {
            w.Item("name", zone.Name);
            w.Value("publicSubnet", zone.PublicSubnet, null);
            w.Value("privateSubnet", zone.PrivateSubnet, null);
            w.EndItem();
        }
        w.End();
        w.Value("nodeInstanceType", a.NodeInstanceType, "EC2 instance type of the managed node group.");
        w.Section("nodeGroup", "Managed node group size.");
        w.Value("min", a.NodeGroup.Min, null);
        w.Value("desired", a.NodeGroup.Desired, null);
        w.Value("max", a.NodeGroup.Max, null);
        w.End();
        w.Value("endpoint", a.Endpoint, "One endpoint for every AWS API (LocalStack, moto); null is real AWS.");
        w.Strings("s3Buckets", a.S3Buckets, "S3 buckets Spark pods may read and write (IRSA role); spark.fileUploadPath's bucket is added.");
        w.Value("apiAccessCidrs", null, "CIDRs that may reach the public EKS API, e.g. [\"203.0.113.7/32\"]; null: this machine's public address, looked up by 'infra apply'.");
        w.Value("privateApi", a.PrivateApi, "true turns the public API endpoint off (reachable from inside the VPC only).");
        w.Value("ecrPrefix", a.EcrPrefix, "Prefix of the ECR repositories (<prefix>/spark, <prefix>/jupyter); null: spark and jupyter.");
        w.Value("executorNodes", null, "Optional executor-only node group, e.g. {instanceTypes: [m5.xlarge, m5a.xlarge], capacityType: SPOT, min: 0, max: 10}.");
        w.End();
        w.Blank();

        w.Section("history", "Event logs and driver logs on S3, read by a Spark History Server ('kindling history', 'apps --all').");
        var h = spec.History;
        w.Value("enabled", h.Enabled, "null: on when there is a location (eventLogDir or the first of aws.s3Buckets); true requires one.");
        w.Value("eventLogDir", h.EventLogDir, "s3a:// location of event logs; null is s3a://<first of aws.s3Buckets>/spark-events/<name>.");
        w.Value("driverLogDir", h.DriverLogDir, "s3a:// location of persisted driver logs; null is beside the event logs.");
        w.Value("maxAge", h.MaxAge, "Retention: the History Server deletes event and driver logs older than this (Spark duration).");
        w.Value("cpu", h.Cpu, "History Server CPU request and limit.");
        w.Value("memory", h.Memory, "History Server memory request and limit (its heap is 3/4 of it).");
        w.End();
        w.Blank();

        w.Section("cluster", "The Kubernetes cluster the environment runs on.");
        w.Value("kind", spec.Cluster.Kind, "auto detects it from the kubeconfig context; or eks, kind, minikube, k3d, docker-desktop, rancher-desktop, orbstack, other.");
        w.End();
        w.Blank();

        w.Section("storage", "An in-cluster S3-compatible store (SeaweedFS) for event logs and s3a:// data on a laptop cluster (docs/local.md).");
        var st = spec.Storage;
        w.Value("local", st.Local, "true runs it and points every Spark pod's S3A at it; refused on EKS, where S3 is the store.");
        w.Value("bucket", st.Bucket, "Bucket created in it; event logs default to s3a://<bucket>/spark-events/<name>.");
        w.Value("size", st.Size, "Size of its volume (the cluster's default StorageClass); 'down' keeps it unless --purge.");
        w.Value("storageClass", st.StorageClass, "StorageClass of its volume; null is the cluster's default.");
        w.Value("image", st.Image, "The SeaweedFS image (a mirror of the same release for air-gapped clusters).");
        w.Value("cpu", st.Cpu, "Store CPU request and limit.");
        w.Value("memory", st.Memory, "Store memory request and limit.");
        w.End();
        w.Blank();

        w.Section("terraform", "How Terraform runs.");
        w.Value("pluginDir", spec.Terraform.PluginDir, "Local provider mirror for offline machines (env KINDLING_TF_PLUGIN_DIR overrides).");
        w.End();
        return w.ToString();
    }

    private sealed class TemplateWriter
    {
        private readonly StringBuilder _sb = new();
        private int _indent;
        private bool _pendingItem;

        public void Comment(string text) => Line($"# {text}");

        public void Blank() => _sb.Append('\n');

        public void Section(string key, string comment)
        {
            Comment(comment);
            Line($"{key}:");
            _indent++;
        }

        public void List(string key, string comment) => Section(key, comment);

        public void Item(string key, string value)
        {
            _pendingItem = true;
            Value(key, value, null);
            _indent++;
        }

        public void EndItem() => _indent--;

        public void End() => _indent--;

        public void Value(string key, object? value, string? comment)
        {
            if (comment is not null) Comment(comment);
            Line($"{key}: {Scalar(value)}");
        }

        public void Map(string key, IReadOnlyDictionary<string, string> values, string comment)
        {
            Comment(comment);
            if (values.Count == 0)
            {
                Line($"{key}: {{}}");
                return;
            }
            Line($"{key}:");
            _indent++;
            foreach (var (k, v) in values.OrderBy(p => p.Key, StringComparer.Ordinal)) Line($"{Scalar(k)}: {Scalar(v)}");
            _indent--;
        }

        public void Strings(string key, IReadOnlyList<string> values, string comment)
        {
            Comment(comment);
            if (values.Count == 0)
            {
                Line($"{key}: []");
                return;
            }
            Line($"{key}:");
            foreach (var v in values) Line($"  - {Scalar(v)}");
        }

        private void Line(string text)
        {
            var pad = new string(' ', _indent * 2);
            if (_pendingItem)
            {
                pad = pad[..^0] + "- ";
                _pendingItem = false;
            }
            _sb.Append(pad).Append(text).Append('\n');
        }

        private static string Scalar(object? value) => value switch
        {
            null => "null",
            bool b => b ? "true" : "false",
            int i => i.ToString(CultureInfo.InvariantCulture),
            // Strings are always quoted, so values like 3.10 or 1.31 keep their exact text.
            string s => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"",
            _ => throw new InvalidOperationException($"no YAML form for {value.GetType()}"),
        };

        public override string ToString() => _sb.ToString();
    }
}
