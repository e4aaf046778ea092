using Kindling.Operations.Spark;
using Kindling.Spark;

namespace Kindling.Tests.Spark;

/// <summary>§2 of issue 9: the spark-submit options people type, as spark-submit maps them to conf.</summary>
public sealed class SparkSubmitOptionsTests
{
    private static (SparkSubmission Submission, SparkFileShipping Shipping) Build(SparkApplicationSpec spec, string dir, string? uploadPath = null)
    {
        var ids = SparkFixtures.Ids(9).Next();
        var shipping = SparkFileShipping.Plan(spec, ids, uploadPath, p => Path.GetFullPath(p, dir));
        return (SparkSubmission.Build(new SparkSubmissionInputs(spec, SparkFixtures.Target, ids, shipping.Sources)), shipping);
    }

    [Fact]
    public void Local_files_archives_and_py_files_are_shipped_and_a_packed_env_becomes_the_python()
    {
        using var dir = new TempDir();
        dir.Write("job.py", "print(1)\n");
        dir.Write("lookup.csv", "a,b\n");
        dir.Write("helpers.zip", "PK");
        File.WriteAllBytes(dir.File("pyenv.tar.gz"), [0x1F, 0x8B, 0x08, 0x00, 0xFF]);
        var spec = new SparkApplicationSpec
        {
            Resource = "job.py",
            Files = ["lookup.csv", "s3a://ref/countries.csv"],
            Archives = ["pyenv.tar.gz#environment"],
            PyFiles = ["helpers.zip"],
        };

        var (submission, _) = Build(spec, dir.Path);

        submission.Conf[SparkConfKeys.Files].Should().Be("file:///opt/kindling/app/lookup.csv,s3a://ref/countries.csv");
        submission.Conf[SparkConfKeys.Archives].Should().Be("file:///opt/kindling/app/pyenv.tar.gz#environment");
        submission.Conf[SparkConfKeys.PyFiles].Should().Be("file:///opt/kindling/app/helpers.zip");
        submission.Conf[SparkConfKeys.PysparkPython].Should().Be("./environment/bin/python");
        submission.Conf.Should().NotContainKey(SparkConfKeys.Jars, "a Python application has no primary jar");
        var env = submission.DriverPod.Spec.Containers.Single().Env;
        env.Single(e => e.Name == "PYSPARK_PYTHON").Value.Should().Be("./environment/bin/python");
        submission.FilesConfigMap!.BinaryData.Keys.Concat(submission.FilesConfigMap.Data.Keys)
            .Should().BeEquivalentTo("job.py", "lookup.csv", "helpers.zip", "pyenv.tar.gz");
        Golden.Match("spark/python-deps.yaml", submission.ToYaml(submission.OwnedBy(SparkFixtures.Created(submission.DriverPod)).All));
    }

    [Fact]
    public void An_explicit_python_is_kept_and_needs_no_alias()
    {
        using var dir = new TempDir();
        var spec = new SparkApplicationSpec
        {
            Resource = "local:///opt/job.py",
            Archives = ["s3a://envs/pyenv.tar.gz"],
            Conf = new Dictionary<string, string> { [SparkConfKeys.PysparkPython] = "./pyenv.tar.gz/bin/python" },
        };

        spec.Validate().Should().BeEmpty();
        Build(spec, dir.Path).Submission.Conf[SparkConfKeys.PysparkPython].Should().Be("./pyenv.tar.gz/bin/python");
    }

    [Fact]
    public void A_flag_wins_over_its_conf_key_and_the_conf_key_is_used_without_it()
    {
        using var dir = new TempDir();
        var conf = new Dictionary<string, string>
        {
            [SparkConfKeys.Jars] = "s3a://from-conf/a.jar",
            [SparkConfKeys.JarsPackages] = "g:a:1",
            [SparkConfKeys.DriverExtraJavaOptions] = "-Dfrom=conf",
        };
        var withFlags = new SparkApplicationSpec
        {
            Resource = "local:///opt/job.py", Conf = conf, Jars = ["s3a://from-flag/b.jar"], Packages = ["g:b:2"], DriverJavaOptions = "-Dfrom=flag",
        };
        var withoutFlags = new SparkApplicationSpec { Resource = "local:///opt/job.py", Conf = conf };

        var a = Build(withFlags, dir.Path).Submission.Conf;
        var b = Build(withoutFlags, dir.Path).Submission.Conf;

        (a[SparkConfKeys.Jars], a[SparkConfKeys.JarsPackages], a[SparkConfKeys.DriverExtraJavaOptions]).Should().Be(("s3a://from-flag/b.jar", "g:b:2", "-Dfrom=flag"));
        (b[SparkConfKeys.Jars], b[SparkConfKeys.JarsPackages], b[SparkConfKeys.DriverExtraJavaOptions]).Should().Be(("s3a://from-conf/a.jar", "g:a:1", "-Dfrom=conf"));
    }

    [Theory]
    [InlineData("--archives", "archives", "pyenv.tar.gz")]
    [InlineData("--py-files", "pyfiles", "deps.jar")]
    [InlineData("--packages", "packages", "org.postgresql:postgresql")]
    [InlineData("--packages", "packages", "not a coordinate")]
    [InlineData("--exclude-packages", "excludes", "guava")]
    [InlineData("--repositories", "repositories", "repo.example.com")]
    public void Bad_lists_are_located_errors(string flag, string list, string value)
    {
        var spec = new SparkApplicationSpec { Resource = "local:///opt/job.py" };
        spec = list switch
        {
            "archives" => spec with { Archives = [value] },
            "pyfiles" => spec with { PyFiles = [value] },
            "packages" => spec with { Packages = [value] },
            "excludes" => spec with { ExcludePackages = [value] },
            _ => spec with { Repositories = [value] },
        };

        spec.Validate().Should().ContainSingle().Which.Path.Should().Be(flag);
    }

    [Fact]
    public void Misplaced_submit_options_among_application_arguments_are_named_in_warnings()
    {
        var spec = new SparkApplicationSpec { Resource = "local:///opt/job.py", Arguments = ["--day", "1", "--jars", "x.jar", "--conf=a=b"] };

        var warnings = SparkSubmitOptionNames.MisplacedIn(spec);

        warnings.Should().HaveCount(2);
        warnings[0].Should().StartWith("--jars comes after the application");
        warnings[1].Should().StartWith("--conf comes after");
    }

    [Fact]
    public void Redaction_uses_sparks_default_regex_on_keys_and_values()
    {
        var redacted = SparkRedaction.Redact(new Dictionary<string, string>
        {
            ["spark.hadoop.fs.s3a.access.key"] = "AKIA...",
            ["spark.hadoop.fs.s3a.secret.key"] = "s3cr3t",
            ["spark.myapp.accesskey"] = "x",
            ["spark.jdbc.Password"] = "p",
            ["spark.app.name"] = "etl",
            ["spark.myapp.url"] = "https://u:TOKEN@h",
            ["spark.kubernetes.driverEnv.GITHUB_TOKEN"] = "ghp",
        });

        redacted.Where(e => e.Value == SparkRedaction.Replacement).Select(e => e.Key).Should().BeEquivalentTo(
            "spark.hadoop.fs.s3a.access.key", "spark.hadoop.fs.s3a.secret.key", "spark.myapp.accesskey", "spark.jdbc.Password",
            "spark.myapp.url", "spark.kubernetes.driverEnv.GITHUB_TOKEN");
        redacted["spark.app.name"].Should().Be("etl");

        SparkRedaction.Redact(new Dictionary<string, string> { [SparkConfKeys.RedactionRegex] = "(?i)myapp", ["spark.myapp.x"] = "1", ["spark.password"] = "p" })
            .Should().Contain("spark.password", "p").And.Contain("spark.myapp.x", SparkRedaction.Replacement);
    }

    [Fact]
    public void Properties_file_is_read_as_java_reads_it()
    {
        using var dir = new TempDir();
        var text = "# comment\n! also a comment\n  spark.a = one \nspark.b:two\nspark.c three\\\n    continued\nspark.d=\\u00e9t\\u00e9 \\t x\nspark.e\\ key=v\nother.key=ignored\n\nspark.a=again\n";
        var path = dir.Write("my.conf", text);

        var parsed = SparkPropertiesFile.Load(path);
        var java = JavaProperties.Load(path);

        parsed.Properties.Should().BeEquivalentTo(java.Where(e => e.Key.StartsWith("spark.", StringComparison.Ordinal))
            .ToDictionary(e => e.Key, e => e.Value.Trim()));
        parsed.Properties["spark.a"].Should().Be("again");
        parsed.Ignored.Should().Equal("other.key");
        FluentActions.Invoking(() => SparkPropertiesFile.Parse("spark.x=\\u12\n", "bad.conf"))
            .Should().Throw<InvalidInputException>().Which.Errors.Single().Message.Should().Contain("bad.conf:1");
    }
}
