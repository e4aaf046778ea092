using System.Diagnostics;
using System.Text;
using k8s.Models;
using Kindling.Spark;

namespace Kindling.Tests.Spark;

/// <summary>
/// Secret-like conf of a submitted driver stays out of its spark.properties ConfigMap and reaches the driver's
/// SparkConf through SPARK_SUBMIT_OPTS read from a Secret the driver pod owns.
/// </summary>
public sealed class DriverSecretConfTests
{
    private const string SecretKey = "spark.hadoop.fs.s3a.secret.key";

    private static SparkSubmission Build(IReadOnlyDictionary<string, string> conf, SparkSubmitTarget? target = null, SparkPodTemplates? templates = null)
    {
        var spec = new SparkApplicationSpec { Resource = "local:///opt/app.py", Name = "etl", Conf = conf };
        return SparkSubmission.Build(new SparkSubmissionInputs(spec, target ?? SparkFixtures.Target, SparkFixtures.Ids().Next(), SparkAppSources.AsGiven(spec))
        {
            Templates = templates ?? SparkPodTemplates.None,
        });
    }

    private static IReadOnlyDictionary<string, string> PropertiesFile(SparkSubmission submission)
    {
        using var dir = new TempDir();
        return JavaProperties.Load(dir.Write("spark.properties", submission.ConfConfigMap.Data[SparkConventions.ConfFileName]));
    }

    private static string SecretValue(SparkSubmission submission, string key) => Encoding.UTF8.GetString(submission.ConfSecret!.Data[key]);

    [Fact]
    public void Secret_like_conf_is_not_in_the_config_map_but_in_the_drivers_secret_read_through_SPARK_SUBMIT_OPTS()
    {
        var submission = Build(new Dictionary<string, string>
        {
            [SecretKey] = "wJalrXUtnFEMI/K7MDENG",
            ["spark.hadoop.fs.s3a.access.key"] = "AKIAEXAMPLE",
            ["spark.sql.shuffle.partitions"] = "64",
        });

        var properties = PropertiesFile(submission);
        properties.Should().NotContainKey(SecretKey).And.NotContainKey("spark.hadoop.fs.s3a.access.key");
        properties["spark.sql.shuffle.partitions"].Should().Be("64");
        submission.ConfConfigMap.Data.Values.Should().NotContain(v => v.Contains("wJalrXUtnFEMI") || v.Contains("AKIAEXAMPLE"));
        submission.SecretConf.Should().BeEquivalentTo(SecretKey, "spark.hadoop.fs.s3a.access.key");
        submission.Conf[SecretKey].Should().Be("wJalrXUtnFEMI/K7MDENG", "the driver's SparkConf still holds it");

        var secret = submission.ConfSecret!;
        secret.Metadata.Name.Should().Be(submission.Names.ConfSecret).And.StartWith("spark-drv-").And.EndWith("-conf-secret");
        secret.Immutable.Should().BeTrue();
        secret.Data.Keys.Should().BeEquivalentTo(DriverSecretConf.SubmitOptsVariable);
        var env = submission.DriverPod.Spec.Containers.Single().Env;
        env.Should().ContainSingle(e => e.Name == DriverSecretConf.SubmitOptsVariable).Which.Should().BeEquivalentTo(new V1EnvVar
        {
            Name = DriverSecretConf.SubmitOptsVariable,
            ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret.Metadata.Name, Key = DriverSecretConf.SubmitOptsVariable, Optional = false } },
        });
        Kindling.Resources.KubeYaml.Serialize(submission.DriverPod).Should().NotContain("wJalrXUtnFEMI").And.NotContain("AKIAEXAMPLE");
    }

    [Fact]
    public async Task The_driver_jvm_gets_exactly_the_values_through_bash_quoting_as_the_launcher_splits_them()
    {
        var bash = Kindling.Testing.RequiredTool.Find("bash", "install bash");
        var java = Kindling.Testing.RequiredTool.Find("java", "install a JDK (apt-get install -y openjdk-17-jdk-headless)");
        var conf = new Dictionary<string, string>
        {
            [SecretKey] = "it's a \"quoted\" $HOME `x` \\ back slash",
            ["spark.ssl.keyStorePassword"] = "two  spaces\tand tab",
            ["spark.hadoop.fs.s3a.session.token"] = "=starts=with=equals='",
        };
        var submission = Build(conf);
        var opts = SecretValue(submission, DriverSecretConf.SubmitOptsVariable);

        using var dir = new TempDir();
        var source = dir.Write("Props.java", """
            import java.util.*;
            public class Props { public static void main(String[] a) throws Exception {
              for (String k : new TreeSet<>(System.getProperties().stringPropertyNames()))
                if (k.startsWith("spark.")) System.out.print(Base64.getEncoder().encodeToString(k.getBytes("UTF-8")) + " " + Base64.getEncoder().encodeToString(System.getProperty(k).getBytes("UTF-8")) + "\n");
            } }
            """);
        // parseOptionString follows bash's word splitting and quoting; bash's own eval is the reference here.
        var psi = new ProcessStartInfo(bash) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("eval \"set -- $SPARK_SUBMIT_OPTS\"; exec \"$JAVA\" \"$@\" \"$SOURCE\"");
        psi.Environment["SPARK_SUBMIT_OPTS"] = opts;
        psi.Environment["JAVA"] = java;
        psi.Environment["SOURCE"] = source;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, stderr);
        var seen = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' '))
            .ToDictionary(p => Encoding.UTF8.GetString(Convert.FromBase64String(p[0])), p => Encoding.UTF8.GetString(Convert.FromBase64String(p[1])));

        seen.Should().BeEquivalentTo(conf);
    }

    [Fact]
    public void Secret_like_driver_env_comes_from_the_secret_not_a_plain_value()
    {
        var submission = Build(new Dictionary<string, string>
        {
            ["spark.kubernetes.driverEnv.AWS_SECRET_ACCESS_KEY"] = "s3cr3t-value",
            ["spark.kubernetes.driverEnv.REGION"] = "eu-west-1",
        });

        var env = submission.DriverPod.Spec.Containers.Single().Env;
        env.Should().ContainSingle(e => e.Name == "AWS_SECRET_ACCESS_KEY").Which.ValueFrom.SecretKeyRef.Should().BeEquivalentTo(
            new V1SecretKeySelector { Name = submission.Names.ConfSecret, Key = "AWS_SECRET_ACCESS_KEY", Optional = false });
        env.Should().ContainSingle(e => e.Name == "REGION").Which.Value.Should().Be("eu-west-1");
        SecretValue(submission, "AWS_SECRET_ACCESS_KEY").Should().Be("s3cr3t-value");
        Kindling.Resources.KubeYaml.Serialize(submission.DriverPod).Should().NotContain("s3cr3t-value");
        submission.ConfConfigMap.Data[SparkConventions.ConfFileName].Should().NotContain("s3cr3t-value");
    }

    [Fact]
    public void A_users_own_SPARK_SUBMIT_OPTS_is_kept_ahead_of_the_secret_options()
    {
        var fromConf = Build(new Dictionary<string, string>
        {
            [SecretKey] = "k",
            ["spark.kubernetes.driverEnv.SPARK_SUBMIT_OPTS"] = "-Dlog4j2.debug=true",
        });
        SecretValue(fromConf, DriverSecretConf.SubmitOptsVariable).Should().Be($"-Dlog4j2.debug=true '-D{SecretKey}=k'");
        fromConf.DriverPod.Spec.Containers.Single().Env.Where(e => e.Name == DriverSecretConf.SubmitOptsVariable).Should().ContainSingle()
            .Which.ValueFrom.Should().NotBeNull();

        var template = new V1Pod
        {
            Metadata = new V1ObjectMeta(),
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "spark", Env = [new V1EnvVar { Name = "SPARK_SUBMIT_OPTS", Value = "-Xss4m" }] }] },
        };
        var fromTemplate = Build(new Dictionary<string, string> { [SecretKey] = "k", [SparkConfKeys.DriverPodTemplateFile] = "driver.yaml" },
            templates: new SparkPodTemplates(template, null));
        SecretValue(fromTemplate, DriverSecretConf.SubmitOptsVariable).Should().Be($"-Xss4m '-D{SecretKey}=k'");
        fromTemplate.DriverPod.Spec.Containers.Single().Env.Where(e => e.Name == DriverSecretConf.SubmitOptsVariable).Should().ContainSingle()
            .Which.ValueFrom.SecretKeyRef.Name.Should().Be(fromTemplate.Names.ConfSecret);

        template.Spec.Containers[0].Env[0] = new V1EnvVar { Name = "SPARK_SUBMIT_OPTS", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "x", Key = "y" } } };
        var act = () => Build(new Dictionary<string, string> { [SecretKey] = "k", [SparkConfKeys.DriverPodTemplateFile] = "driver.yaml" },
            templates: new SparkPodTemplates(template, null));
        act.Should().Throw<InvalidInputException>().Which.Errors.Should().ContainSingle()
            .Which.Message.Should().Contain("--driver-java-options").And.NotContain("=k");
    }

    [Fact]
    public void Environment_conf_from_kindling_yaml_is_kept_out_too()
    {
        var target = SparkFixtures.Target with { BaseConf = new Dictionary<string, string> { ["spark.hadoop.fs.s3a.secret.key"] = "from-yaml" } };
        var submission = Build(new Dictionary<string, string>(), target);

        PropertiesFile(submission).Should().NotContainKey(SecretKey);
        SecretValue(submission, DriverSecretConf.SubmitOptsVariable).Should().Contain("from-yaml");
    }

    [Fact]
    public void Keys_spark_submit_reads_from_the_file_and_secret_references_stay_in_it_whatever_the_pattern()
    {
        var submission = Build(new Dictionary<string, string>
        {
            [SparkConfKeys.RedactionRegex] = "(?i)secret|password|token|access[.]?key|spark[.]master|spark[.]jars|shuffle",
            ["spark.sql.shuffle.partitions"] = "8",
            ["spark.kubernetes.driver.secretKeyRef.DB_PASSWORD"] = "db:password",
            ["spark.kubernetes.executor.secrets.creds"] = "/etc/creds",
            ["spark.kubernetes.container.image.pullSecrets"] = "regcred",
        });

        var properties = PropertiesFile(submission);
        properties[SparkConfKeys.Master].Should().Be(SparkConventions.InClusterMaster);
        properties.Should().ContainKey(SparkConfKeys.RedactionRegex)
            .And.ContainKey("spark.kubernetes.driver.secretKeyRef.DB_PASSWORD")
            .And.ContainKey("spark.kubernetes.executor.secrets.creds")
            .And.ContainKey("spark.kubernetes.container.image.pullSecrets")
            .And.NotContainKey("spark.sql.shuffle.partitions");
        submission.SecretConf.Should().BeEquivalentTo("spark.sql.shuffle.partitions");
        submission.DriverPod.Spec.Containers.Single().Env.Should().Contain(e => e.Name == "DB_PASSWORD" && e.ValueFrom.SecretKeyRef.Name == "db");
    }

    [Fact]
    public void Without_secret_conf_the_pod_and_objects_are_exactly_sparks()
    {
        var submission = Build(new Dictionary<string, string> { ["spark.sql.shuffle.partitions"] = "8" });

        submission.ConfSecret.Should().BeNull();
        submission.SecretConf.Should().BeEmpty();
        submission.DriverPod.Spec.Containers.Single().Env.Should().NotContain(e => e.Name == DriverSecretConf.SubmitOptsVariable);
        submission.OwnedObjects().Should().NotContain(o => o is V1Secret);
    }

    [Fact]
    public void The_secret_is_owned_by_the_driver_pod_and_printed_only_redacted()
    {
        var submission = Build(new Dictionary<string, string> { [SecretKey] = "wJalrXUtnFEMI" });
        var owned = submission.OwnedBy(SparkFixtures.Created(submission.DriverPod));

        owned.ConfSecret!.Metadata.OwnerReferences.Should().ContainSingle().Which.Should().Match<V1OwnerReference>(r => r.Kind == "Pod" && r.Controller == true);
        owned.ConfSecret.Data.Should().NotBeNull("the Secret created holds the values");
        owned.All.Should().Contain(owned.ConfSecret);

        var printed = submission.ToYaml(owned.All);
        printed.Should().Contain("kind: Secret").And.Contain(SparkRedaction.Replacement)
            .And.NotContain("wJalrXUtnFEMI").And.NotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("wJalrXUtnFEMI"))[..12]);
    }

    [Fact]
    public void A_conflicting_secretKeyRef_for_the_same_variable_is_refused()
    {
        var act = () => Build(new Dictionary<string, string>
        {
            [SecretKey] = "k",
            ["spark.kubernetes.driver.secretKeyRef.SPARK_SUBMIT_OPTS"] = "other:opts",
        });

        act.Should().Throw<InvalidInputException>().Which.Errors.Should().ContainSingle()
            .Which.Path.Should().Be("--conf spark.kubernetes.driver.secretKeyRef.SPARK_SUBMIT_OPTS");
    }

    [Fact]
    public async Task Submit_creates_the_owned_secret_with_the_others_never_prints_the_value_and_kill_removes_it()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        const string value = "wJalrXUtnFEMI-fake-secret";

        var dryRun = await cluster.CliAsync("submit", "--dry-run", "--verbose", "--conf", $"{SecretKey}={value}", "local:///opt/app.py");
        dryRun.ExitCode.Should().Be(0, dryRun.ToString());
        dryRun.Stdout.Should().Contain("kind: Secret");
        (dryRun.Stdout + dryRun.Stderr).Should().NotContain(value);
        var dryJson = await cluster.CliAsync("submit", "--dry-run", "-o", "json", "--conf", $"{SecretKey}={value}", "local:///opt/app.py");
        dryJson.ExitCode.Should().Be(0, dryJson.ToString());
        (dryJson.Stdout + dryJson.Stderr).Should().Contain("\"Secret\"").And.NotContain(value).And.NotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(value)));

        cluster.Kube.Requests.Clear();
        var result = await cluster.CliAsync("submit", "--name", "s3job", "--conf", $"{SecretKey}={value}", "-v", "local:///opt/app.py");
        result.ExitCode.Should().Be(0, result.ToString());
        (result.Stdout + result.Stderr).Should().NotContain(value);
        var appId = cluster.OnlyAppId();
        var driver = cluster.DriverPod(appId);
        var secret = cluster.Kube.Objects.List<V1Secret>(FakeSparkCluster.Ns, $"{SparkConventions.AppIdLabel}={appId}").Should().ContainSingle().Subject;
        secret.Metadata.OwnerReferences.Should().ContainSingle().Which.Uid.Should().Be(driver.Metadata.Uid);
        Encoding.UTF8.GetString(secret.Data[DriverSecretConf.SubmitOptsVariable]).Should().Be($"'-D{SecretKey}={value}'");
        cluster.Kube.Objects.List<V1ConfigMap>(FakeSparkCluster.Ns, $"{SparkConventions.AppIdLabel}={appId}")
            .SelectMany(m => m.Data?.Values ?? []).Should().NotContain(v => v.Contains(value));
        var writes = cluster.Kube.Requests.All.Where(r => r.Method is "POST" or "PUT" or "PATCH").ToList();
        writes[0].Resource.Should().Be("pods");
        writes.Select(r => r.Resource).Should().Contain("secrets");

        cluster.Kube.Pods.Running(FakeSparkCluster.Ns, driver.Metadata.Name);
        var kill = await cluster.CliAsync("kill", appId);
        kill.ExitCode.Should().Be(0, kill.ToString());
        cluster.Kube.Objects.List<V1Secret>(FakeSparkCluster.Ns, $"{SparkConventions.AppIdLabel}={appId}").Should().BeEmpty("the Secret is garbage-collected with its driver pod");
    }
}
