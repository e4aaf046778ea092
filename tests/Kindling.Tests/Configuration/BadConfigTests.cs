using Kindling.Configuration;

namespace Kindling.Tests.Configuration;

/// <summary>
/// Each bad kindling.yaml must be rejected with the exact place (file:line:col), the key path and a message that
/// says what is wrong. The YAML is given with '|' marking where the error must point, so the expected line and
/// column are computed from the case itself, not typed by hand.
/// </summary>
public sealed class BadConfigTests
{
    public static TheoryData<string, string, string> Cases() => new()
    {
        // YAML syntax
        { "syntax: unclosed quote", "name: |\"kindling\nnamespace: x\n", "YAML syntax error" },
        { "syntax: bad indentation", "spark:\n  version: \"3.5.5\"\n   |bad: [1, 2\n", "YAML syntax error" },
        { "top level is a list", "|- a\n- b\n", "top level must be a mapping" },
        { "two documents", "name: a\n---\n|name: b\n", "more than one YAML document" },
        // unknown keys with suggestions
        { "typo at top level", "|namespce: x\n", "did you mean 'namespace'?" },
        { "typo in spark", "spark:\n  |verison: \"3.5.5\"\n", "did you mean 'version'?" },
        { "typo in executors", "spark:\n  executors:\n    |memroy: 2g\n", "did you mean 'memory'?" },
        { "typo in aws", "aws:\n  |regoin: eu-west-1\n", "did you mean 'region'?" },
        { "typo in node group", "aws:\n  nodeGroup:\n    |desird: 2\n", "did you mean 'desired'?" },
        { "typo in zone item", "aws:\n  availabilityZones:\n    - name: eu-west-1a\n      |publicSubnett: 10.0.0.0/20\n", "did you mean 'publicSubnet'?" },
        { "unknown key without near match", "|colour: blue\n", "known keys: name, namespace" },
        { "duplicate key", "name: a\n|name: b\n", "Duplicate key" },
        // types
        { "string where mapping expected", "spark: |\"3.5.5\"\n", "expected a mapping" },
        { "mapping where number expected", "spark:\n  executors:\n    instances: |{a: 1}\n", "expected a whole number, got a mapping" },
        { "text where number expected", "spark:\n  executors:\n    instances: |two\n", "expected a whole number, got 'two'" },
        { "quoted number for int", "spark:\n  driverPort: |\"7078\"\n", "expected a whole number" },
        { "bad bool", "images:\n  build: |yes-please\n", "expected true or false" },
        { "null for required", "name: |~\n", "a value is required" },
        { "list expected", "aws:\n  availabilityZones: |eu-west-1a\n", "expected a list" },
        // names
        { "uppercase namespace", "namespace: |Spark\n", "DNS-1123 label" },
        { "name with underscore", "name: |my_env\n", "DNS-1123 label" },
        { "name too long", "name: |" + new string('a', 41) + "\n", "at most 40 characters" },
        { "namespace ending with dash", "namespace: |team-\n", "DNS-1123 label" },
        // spark
        { "bad spark version", "spark:\n  version: |latest\n", "has no official apache/spark image Kindling supports; use one of 3.5.0–3.5.8, 4.0.0–4.0.3, 4.1.0–4.1.2" },
        { "spark release with no image", "spark:\n  version: |\"3.4.1\"\n", "has no official apache/spark image" },
        { "spark patch with no image", "spark:\n  version: |\"4.0.9\"\n", "has no official apache/spark image" },
        { "spark 4 with scala 2.12", "spark:\n  version: \"4.0.1\"\n  scalaVersion: |\"2.12\"\n", "Spark 4.0.1 images are built for Scala 2.13 only" },
        { "bad scala", "spark:\n  scalaVersion: |\"2.11\"\n", "built for Scala 2.12 only" },
        { "bad java", "spark:\n  javaVersion: |8\n", "ship Java 11 or 17" },
        { "java 11 on spark 4", "spark:\n  version: \"4.1.2\"\n  scalaVersion: \"2.13\"\n  javaVersion: |11\n", "ship Java 17 or 21" },
        { "bad python", "spark:\n  pythonVersion: |\"2.7\"\n", "has Python 3.10 (Ubuntu 22.04); set spark.pythonVersion: \"3.10\"" },
        { "python of another base", "spark:\n  version: \"3.5.5\"\n  javaVersion: 11\n  pythonVersion: |\"3.10\"\n", "apache/spark:3.5.5-scala2.12-java11-python3-ubuntu has Python 3.8 (Ubuntu 20.04)" },
        { "maven coordinate without version", "spark:\n  packages:\n    - |org.apache.spark:spark-avro_2.12\n", "not a Maven coordinate; use groupId:artifactId:version" },
        { "maven coordinate with spaces", "spark:\n  packages:\n    - ok:ok:1\n    - |\"a b:c:1\"\n", "not a Maven coordinate" },
        { "same package twice", "spark:\n  packages:\n    - io.delta:delta-spark_2.12:3.2.0\n    - |io.delta:delta-spark_2.12:3.1.0\n", "twice" },
        { "pip option as requirement", "spark:\n  pythonPackages:\n    - |\"--index-url http://evil\"\n", "is a pip option" },
        { "requirement with shell", "spark:\n  pythonPackages:\n    - |\"requests; rm -rf /\"\n", "not a pip requirement" },
        { "pinned pandas", "spark:\n  pythonPackages:\n    - |pandas==1.5.3\n", "installed by Kindling" },
        { "pyspark from pip", "spark:\n  pythonPackages:\n    - |PySpark\n", "must not be installed" },
        { "bad spark image", "spark:\n  image: |\"Not An Image!\"\n", "not an image reference" },
        { "zero executors", "spark:\n  executors:\n    instances: |0\n", "must be greater than 0" },
        { "negative executor cores", "spark:\n  executors:\n    cores: |-1\n", "must be greater than 0" },
        { "executor memory unparsable", "spark:\n  executors:\n    memory: |lots\n", "not a JVM memory size" },
        { "executor memory in Kubernetes units", "spark:\n  executors:\n    memory: |2Gi\n", "not a JVM memory size" },
        { "driver memory zero", "spark:\n  driver:\n    memory: |0m\n", "at least 1m" },
        { "max below min executors", "spark:\n  dynamicAllocation:\n    minExecutors: 5\n    maxExecutors: |2\n", "at least minExecutors (5)" },
        { "bad idle timeout", "spark:\n  dynamicAllocation:\n    idleTimeout: |soon\n", "not a Spark duration" },
        { "privileged port", "spark:\n  driverPort: |80\n", "use 1024-65535" },
        { "port clash", "spark:\n  blockManagerPort: |7078\n", "already used by spark.driverPort" },
        { "upload path not s3a", "spark:\n  fileUploadPath: |/tmp/uploads\n", "not an s3a:// location" },
        { "managed conf key", "spark:\n  conf:\n    spark.driver.host: |x\n", "is set by Kindling" },
        { "non-spark conf key", "spark:\n  conf:\n    fs.s3a.impl: |x\n", "keys start with 'spark.'" },
        // history
        { "event log dir not s3a", "history:\n  eventLogDir: |hdfs://nn/spark-events\n", "not an s3a:// location" },
        { "event log dir s3 scheme", "history:\n  eventLogDir: |s3://bucket/spark-events\n", "not an s3a:// location" },
        { "event log dir whole bucket", "history:\n  eventLogDir: |s3a://bucket\n", "is a whole bucket" },
        { "history on without location", "history:\n  enabled: |true\n", "no S3 location for event logs" },
        { "retention unparsable", "history:\n  maxAge: |a month\n", "not a Spark duration" },
        { "history memory", "history:\n  memory: |lots\n", "not a Kubernetes quantity" },
        // notebook
        { "bad cpu", "notebook:\n  cpu: |lots\n", "not a Kubernetes quantity" },
        { "zero cpu", "notebook:\n  cpu: |\"0\"\n", "greater than zero" },
        { "JVM-style notebook memory", "notebook:\n  memory: |4g\n", "written like 4Gi" },
        { "milli-byte storage", "notebook:\n  storageSize: |10m\n", "milli-bytes" },
        { "bad storage class", "notebook:\n  storageClass: |Fast_SSD\n", "DNS-1123 subdomain" },
        // images
        { "registry with tag", "images:\n  registry: |\"registry.example.com/team:1.0\"\n", "not a registry" },
        { "bad tag", "images:\n  tag: |\"-dev\"\n", "not an image tag" },
        { "no build without images", "images:\n  build: |false\n", "give the Spark image" },
        { "bad platform", "images:\n  platform: |linux/s390x\n", "use linux/amd64 or linux/arm64" },
        // aws
        { "bad region", "aws:\n  region: |europe\n", "not an AWS region" },
        { "bad cluster name", "aws:\n  clusterName: |\"-x\"\n", "must start with a letter or digit" },
        { "bad k8s version", "aws:\n  kubernetesVersion: |\"1.31.2\"\n", "not an EKS Kubernetes version Kindling knows; use one of 1.32, 1.33, 1.34, 1.35" },
        { "retired k8s version", "aws:\n  kubernetesVersion: |\"1.31\"\n", "end of extended support on 2026-11-26" },
        { "unknown future k8s version", "aws:\n  kubernetesVersion: |\"1.99\"\n", "(default 1.35)" },
        { "api cidr not a cidr", "aws:\n  apiAccessCidrs:\n    - |203.0.113.7\n", "not an IPv4 CIDR block; use e.g. 203.0.113.7/32" },
        { "api cidr host bits", "aws:\n  apiAccessCidrs:\n    - |203.0.113.7/24\n", "has host bits set" },
        { "api cidrs empty", "aws:\n  apiAccessCidrs: |[]\n", "lists no CIDR" },
        { "api cidrs with private api", "aws:\n  privateApi: true\n  apiAccessCidrs: |[\"10.0.0.0/8\"]\n", "has no effect with aws.privateApi" },
        { "bad ecr prefix", "aws:\n  ecrPrefix: |Team_A/\n", "not an ECR repository prefix" },
        { "spot group min above max", "aws:\n  executorNodes:\n    min: 5\n    max: |2\n", "must be at least min (5)" },
        { "bad capacity type", "aws:\n  executorNodes:\n    capacityType: |spot\n", "use SPOT or ON_DEMAND" },
        { "bad executor instance type", "aws:\n  executorNodes:\n    instanceTypes:\n      - |xlarge\n", "not an EC2 instance type" },
        { "bad instance type", "aws:\n  nodeInstanceType: |large\n", "not an EC2 instance type" },
        { "graviton executors beside x86 nodes", "aws:\n  executorNodes:\n    instanceTypes:\n      - m5.xlarge\n      - |m7g.xlarge\n", "is arm64 (AWS Graviton) but the images are built for linux/amd64" },
        { "x86 executors beside graviton nodes", "aws:\n  nodeInstanceType: m7g.large\n  executorNodes:\n    instanceTypes:\n      - |c5.2xlarge\n", "use a Graviton type such as m7g.xlarge" },
        { "platform against the node type", "images:\n  platform: linux/arm64\naws:\n  nodeInstanceType: |m5.large\n", "but images.platform is linux/arm64" },
        { "bad endpoint", "aws:\n  endpoint: |localhost:4566\n", "not an http(s) URL" },
        { "credentials in the endpoint", "aws:\n  endpoint: |\"http://AKIAEXAMPLE:s3cr3t@localhost:4566\"\n", "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" },
        { "desired above max", "aws:\n  nodeGroup:\n    desired: |9\n", "between min (1) and max (4)" },
        { "max below min", "aws:\n  nodeGroup:\n    min: 3\n    desired: 3\n    max: |2\n", "at least min (3)" },
        { "vpc cidr not a cidr", "aws:\n  vpcCidr: |10.0.0.0\n", "not an IPv4 CIDR" },
        { "vpc cidr host bits", "aws:\n  vpcCidr: |10.0.0.1/16\n", "host bits set" },
        { "vpc too large", "aws:\n  vpcCidr: |10.0.0.0/8\n", "between /16 and /28" },
        { "two zones", "aws:\n  availabilityZones:\n    |- {name: eu-west-1a, publicSubnet: 10.0.0.0/20, privateSubnet: 10.0.48.0/20}\n    - {name: eu-west-1b, publicSubnet: 10.0.16.0/20, privateSubnet: 10.0.64.0/20}\n", "exactly 3 availability zones" },
        { "zone missing private subnet", Zones("|{name: eu-west-1a, publicSubnet: 10.0.0.0/20}", Z("b", 16, 64), Z("c", 32, 80)), "needs a public and a private subnet" },
        { "subnet outside vpc", Zones("{name: eu-west-1a, publicSubnet: |10.1.0.0/20, privateSubnet: 10.0.48.0/20}", Z("b", 16, 64), Z("c", 32, 80)), "not inside the VPC 10.0.0.0/16" },
        { "overlapping subnets", Zones(Z("a", 0, 48), "{name: eu-west-1b, publicSubnet: |10.0.8.0/21, privateSubnet: 10.0.64.0/20}", Z("c", 32, 80)), "overlaps aws.availabilityZones[0].publicSubnet" },
        { "zone of another region", Zones(Z("a", 0, 48), Z("b", 16, 64), "{name: |us-east-1c, publicSubnet: 10.0.32.0/20, privateSubnet: 10.0.80.0/20}"), "not a zone of region eu-west-1" },
        { "same zone twice", Zones(Z("a", 0, 48), Z("b", 16, 64), "{name: |eu-west-1a, publicSubnet: 10.0.32.0/20, privateSubnet: 10.0.80.0/20}"), "listed twice" },
        // terraform
        // S3 buckets granted to the Spark IRSA role
        { "bucket with uppercase", "aws:\n  s3Buckets:\n    - |My-Bucket\n", "not an S3 bucket name" },
        { "bucket given as a URL", "aws:\n  s3Buckets:\n    - data\n    - |s3://data\n", "a bucket name, not an s3:// URL" },
        { "bucket too short", "aws:\n  s3Buckets:\n    - |ab\n", "3 to 63 characters" },
        { "bucket like an IP address", "aws:\n  s3Buckets:\n    - |192.168.1.10\n", "IP address" },
        { "bucket with adjacent periods", "aws:\n  s3Buckets:\n    - |my..bucket\n", "two adjacent periods" },
        { "bucket with reserved prefix", "aws:\n  s3Buckets:\n    - |xn--bucket\n", "prefix 'xn--' is reserved" },
        { "bucket listed twice", "aws:\n  s3Buckets:\n    - data-1\n    - |data-1\n", "listed twice" },
        { "buckets not a list", "aws:\n  s3Buckets: |data-1\n", "expected a list" },
        { "upload path with a bad bucket", "spark:\n  fileUploadPath: |s3a://Bad_Bucket/uploads\n", "not an S3 bucket name" },
        { "empty plugin dir", "terraform:\n  pluginDir: |\"\"\n", "must not be empty" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_config_is_rejected_with_location_path_and_message(string why, string marked, string expectedMessage)
    {
        var (yaml, line, column) = Unmark(marked);
        var act = () => ConfigLoader.Parse(yaml, "kindling.yaml");
        var error = act.Should().Throw<ConfigValidationException>(why).Which.Errors[0];
        error.ToString().Should().StartWith($"kindling.yaml:{line}:{column} ", why);
        error.Location.Should().Be(new SourceLocation("kindling.yaml", line, column), why);
        error.Message.Should().Contain(expectedMessage, why);
    }

    [Fact]
    public void Credentials_in_the_endpoint_are_never_echoed()
    {
        var errors = FluentActions.Invoking(() => ConfigLoader.Parse("aws:\n  endpoint: \"http://AKIAEXAMPLE:s3cr3t@localhost:4566\"\n", "kindling.yaml"))
            .Should().Throw<ConfigValidationException>().Which.Errors;
        errors.Should().ContainSingle().Which.ToString().Should().StartWith("kindling.yaml:2:13 aws.endpoint").And.NotContain("s3cr3t").And.NotContain("AKIAEXAMPLE");
    }

    [Fact]
    public void Every_problem_is_reported_at_once_in_file_order()
    {
        var yaml = "namespace: Bad_NS\nspark:\n  executors:\n    instances: 0\n    memory: lots\n";
        var errors = FluentActions.Invoking(() => ConfigLoader.Parse(yaml, "k.yaml"))
            .Should().Throw<ConfigValidationException>().Which.Errors;
        errors.Select(e => e.Path).Should().Equal("namespace", "spark.executors.instances", "spark.executors.memory");
        errors.Select(e => e.Location!.Line).Should().BeInAscendingOrder();
    }

    [Fact]
    public void Error_names_the_key_path_in_the_documented_form()
    {
        var yaml = "spark:\n  executors:\n    memory: 12x\n";
        var error = FluentActions.Invoking(() => ConfigLoader.Parse(yaml, "kindling.yaml"))
            .Should().Throw<ConfigValidationException>().Which.Errors.Single();
        error.ToString().Should().StartWith("kindling.yaml:3:13 spark.executors.memory: ");
    }

    private static string Z(string zone, int publicThird, int privateThird) =>
        $"{{name: eu-west-1{zone}, publicSubnet: 10.0.{publicThird}.0/20, privateSubnet: 10.0.{privateThird}.0/20}}";

    /// <summary>Three zones as flow mappings; the offending one carries the '|' marker.</summary>
    private static string Zones(string a, string b, string c) =>
        "aws:\n  availabilityZones:\n" + string.Concat(new[] { a, b, c }.Select(item => "    - " + item + "\n"));

    private static (string Yaml, int Line, int Column) Unmark(string marked)
    {
        var index = marked.IndexOf('|', StringComparison.Ordinal);
        index.Should().BeGreaterThanOrEqualTo(0, "every case marks its error position with '|'");
        var before = marked[..index];
        var line = before.Count(c => c == '\n') + 1;
        var column = index - (before.LastIndexOf('\n') + 1) + 1;
        var yaml = marked.Remove(index, 1);
        // A '|' that introduces a block scalar in YAML is never used in these cases, so removing the marker is safe.
        return (yaml, line, column);
    }
}
