using Kindling.Configuration;
using Kindling.Images;
using Kindling.Operations;
using Kindling.Operations.Provision;

namespace Kindling.Tests.Provision;

/// <summary>
/// The stage planner as a table: a first configuration is "provisioned" (its fingerprints recorded, its tag in the
/// registry, its notebook available), then a changed configuration is planned against that record. Fingerprints
/// come from the product's own pure functions over the rendered module, images and objects, so the table checks
/// that a change reaches exactly the stages it affects.
/// </summary>
public sealed class StagePlannerTests : IDisposable
{
    private const string Server = "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com";
    private readonly TempDir work = new();

    public void Dispose() => work.Dispose();

    public enum Change
    {
        Nothing,
        Dockerfile,
        NotebookSize,
        Infra,
        ExecutorSize,
    }

    public static TheoryData<Change, string, string, string, string> Table => new()
    {
        // change                infra    kubeconfig images   environment
        { Change.Nothing,      "skip", "skip", "skip", "skip" },
        { Change.Dockerfile,   "skip", "skip", "run",  "run" },
        { Change.NotebookSize, "skip", "skip", "skip", "run" },
        { Change.ExecutorSize, "skip", "skip", "skip", "run" },
        { Change.Infra,        "run",  "skip", "skip", "skip" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void A_change_runs_exactly_the_stages_it_affects(Change change, string infra, string kubeconfig, string images, string environment)
    {
        var before = Fingerprints(new EnvironmentSpec(), extraDockerfileLine: null);
        var (spec, line) = Apply(change);
        var after = Fingerprints(spec, line);

        var plan = StagePlanner.Plan(Facts(before, after));

        plan.Select(d => d.Stage).Should().Equal(ProvisionStage.Infra, ProvisionStage.Kubeconfig, ProvisionStage.Images, ProvisionStage.Environment, ProvisionStage.Notebook);
        plan.Select(d => d.Action == StageAction.Run ? "run" : "skip").Should().Equal(infra, kubeconfig, images, environment, "run");
        plan.Should().OnlyContain(d => d.Reason.Length > 0);
    }

    [Fact]
    public void Nothing_changed_says_why_each_stage_is_skipped()
    {
        var same = Fingerprints(new EnvironmentSpec(), null);
        var plan = StagePlanner.Plan(Facts(same, same)).ToDictionary(d => d.Stage);

        plan[ProvisionStage.Infra].Reason.Should().Contain("unchanged since the last apply");
        plan[ProvisionStage.Images].Reason.Should().Contain($"already has images {same.ImageTag}");
        plan[ProvisionStage.Environment].Reason.Should().Contain("notebook is available");
    }

    [Fact]
    public void A_first_run_runs_every_stage()
    {
        var now = Fingerprints(new EnvironmentSpec(), null);
        var plan = StagePlanner.Plan(new ProvisionFacts
        {
            ClusterKind = ClusterKinds.Eks,
            InfraFingerprint = now.Infra,
            ImageTag = now.ImageTag,
            ImagesFingerprint = now.Images,
            ImagesInRegistry = false,
            EnvironmentFingerprint = now.Environment,
        });
        plan.Should().OnlyContain(d => d.Action == StageAction.Run);
    }

    [Fact]
    public void Destroyed_infrastructure_is_applied_again_even_with_an_unchanged_module()
    {
        var same = Fingerprints(new EnvironmentSpec(), null);
        var decision = StagePlanner.Decide(ProvisionStage.Infra, Facts(same, same) with { OutputsSaved = false });
        decision.Action.Should().Be(StageAction.Run);
        decision.Reason.Should().Contain("no Terraform outputs");
    }

    [Fact]
    public void An_unchanged_environment_that_is_not_available_is_applied_again()
    {
        var same = Fingerprints(new EnvironmentSpec(), null);
        StagePlanner.Decide(ProvisionStage.Environment, Facts(same, same) with { EnvironmentReady = false }).Action.Should().Be(StageAction.Run);
        StagePlanner.Decide(ProvisionStage.Environment, Facts(same, same) with { EnvironmentReady = null }).Action.Should().Be(StageAction.Run);
    }

    [Fact]
    public void Refresh_checks_infra_and_environment_but_still_trusts_the_registry()
    {
        var same = Fingerprints(new EnvironmentSpec(), null);
        var plan = StagePlanner.Plan(Facts(same, same) with { Refresh = true }).ToDictionary(d => d.Stage, d => d.Action);
        plan[ProvisionStage.Infra].Should().Be(StageAction.Run);
        plan[ProvisionStage.Environment].Should().Be(StageAction.Run);
        // The registry was asked: its answer is the real system's, not a record.
        plan[ProvisionStage.Images].Should().Be(StageAction.Skip);
    }

    [Fact]
    public void A_registry_that_cannot_be_asked_builds_and_pushes()
    {
        var same = Fingerprints(new EnvironmentSpec(), null);
        var decision = StagePlanner.Decide(ProvisionStage.Images, Facts(same, same) with { ImagesInRegistry = null, RegistryDetail = "aws: command not found" });
        decision.Action.Should().Be(StageAction.Run);
        decision.Reason.Should().Contain("could not be asked").And.Contain("aws: command not found");
    }

    [Theory]
    [InlineData(ClusterKinds.Kind)]
    [InlineData(ClusterKinds.Minikube)]
    [InlineData(ClusterKinds.DockerDesktop)]
    public void A_laptop_cluster_provisions_nothing_and_loads_images_once(string kind)
    {
        var same = Fingerprints(new EnvironmentSpec(), null);
        var facts = Facts(same, same) with { ClusterKind = kind, Context = "ctx", ImagesInRegistry = null, DeliveredImagesFingerprint = same.Images };
        var plan = StagePlanner.Plan(facts).ToDictionary(d => d.Stage);
        plan[ProvisionStage.Infra].Action.Should().Be(StageAction.Skip);
        plan[ProvisionStage.Infra].Reason.Should().Contain(kind);
        plan[ProvisionStage.Kubeconfig].Action.Should().Be(StageAction.Skip);
        plan[ProvisionStage.Images].Action.Should().Be(StageAction.Skip);

        var changed = Fingerprints(new EnvironmentSpec(), "RUN true");
        StagePlanner.Decide(ProvisionStage.Images, facts with { ImagesFingerprint = changed.Images, ImageTag = changed.ImageTag })
            .Action.Should().Be(StageAction.Run);
    }

    [Fact]
    public void Given_images_are_never_built()
    {
        var same = Fingerprints(new EnvironmentSpec(), null);
        var decision = StagePlanner.Decide(ProvisionStage.Images, Facts(same, same) with { BuildImages = false, ImagesInRegistry = false });
        decision.Action.Should().Be(StageAction.Skip);
        decision.Reason.Should().Contain("images.build is false");
    }

    private static (EnvironmentSpec Spec, string? DockerfileLine) Apply(Change change)
    {
        var spec = new EnvironmentSpec();
        return change switch
        {
            Change.Nothing => (spec, null),
            Change.Dockerfile => (spec, "RUN echo patched"),
            Change.NotebookSize => (spec with { Notebook = spec.Notebook with { Memory = "6Gi" } }, null),
            Change.ExecutorSize => (spec with { Spark = spec.Spark with { Executors = spec.Spark.Executors with { Memory = "3g" } } }, null),
            Change.Infra => (spec with { Aws = spec.Aws with { NodeGroup = spec.Aws.NodeGroup with { Max = 6 } } }, null),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
    }

    // What the last run recorded is the "before" configuration's; the registry holds only the tag it pushed.
    private static ProvisionFacts Facts(StageFingerprints before, StageFingerprints after) => new()
    {
        ClusterKind = ClusterKinds.Eks,
        InfraFingerprint = after.Infra,
        AppliedInfraFingerprint = before.Infra,
        OutputsSaved = true,
        KubeconfigCurrent = true,
        ImageTag = after.ImageTag,
        ImagesFingerprint = after.Images,
        DeliveredImagesFingerprint = before.Images,
        ImagesInRegistry = after.ImageTag == before.ImageTag,
        EnvironmentFingerprint = after.Environment,
        AppliedEnvironmentFingerprint = before.Environment,
        EnvironmentReady = true,
    };

    private StageFingerprints Fingerprints(EnvironmentSpec spec, string? extraDockerfileLine)
    {
        using var environment = new EnvironmentContext(new EnvironmentContextOptions
        {
            Config = new LoadedConfig(spec, null),
            WorkingDirectory = work.Path,
            RenderBuildContext = s => ImageBuildContext.Render(s)
                .Select(f => extraDockerfileLine is not null && f.RelativePath == DockerfileSet.SparkDockerfile
                    ? f with { Content = f.Content + extraDockerfileLine + "\n" }
                    : f)
                .ToList(),
        });
        return ProvisionFingerprints.Of(environment, "registry", Server);
    }
}
