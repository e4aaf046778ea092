using Kindling.Configuration;

namespace Kindling.Operations.Provision;

/// <summary>
/// Decides which stages of <c>up --provision</c> run and says why, from <see cref="ProvisionFacts"/> alone (pure,
/// table-tested). A stage is skipped when what it would produce is what it last produced and the real system
/// still shows it; each stage's fingerprint covers its inputs, so a change reaches exactly the stages it affects:
/// a Dockerfile changes the image tag, hence the images and the environment (which names them), never the
/// Terraform module; the notebook's size changes only the environment; <c>aws.*</c> changes the module.
/// </summary>
public static class StagePlanner
{
    /// <summary>Every stage, in order, decided from the same facts.</summary>
    public static IReadOnlyList<StageDecision> Plan(ProvisionFacts facts) =>
        Enum.GetValues<ProvisionStage>().Select(stage => Decide(stage, facts)).ToList();

    /// <summary>One stage. The operation calls it just before the stage, with facts gathered after the stages before it.</summary>
    public static StageDecision Decide(ProvisionStage stage, ProvisionFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return stage switch
        {
            ProvisionStage.Infra => Infra(facts),
            ProvisionStage.Kubeconfig => Kubeconfig(facts),
            ProvisionStage.Images => Images(facts),
            ProvisionStage.Environment => Environment(facts),
            ProvisionStage.Notebook => new StageDecision(stage, StageAction.Run, "prints the notebook's login URL"),
            _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
        };
    }

    private static bool Eks(ProvisionFacts facts) => facts.ClusterKind == ClusterKinds.Eks;

    private static StageDecision Infra(ProvisionFacts facts)
    {
        const ProvisionStage stage = ProvisionStage.Infra;
        if (!Eks(facts)) return Skip(stage, $"the cluster is {Describe(facts)}: Kindling provisions nothing for it");
        if (facts.AppliedInfraFingerprint is null) return Run(stage, "no apply is recorded: terraform plans, and applies what is missing");
        if (!facts.OutputsSaved) return Run(stage, "no Terraform outputs are saved (destroyed, or never applied): terraform plans and applies");
        if (facts.AppliedInfraFingerprint != facts.InfraFingerprint) return Run(stage, "the Terraform module changed since the last apply (aws.* or terraform.* in kindling.yaml)");
        if (facts.Refresh) return Run(stage, "--refresh: terraform plans against the real resources, and applies only on drift");
        return Skip(stage, "the Terraform module is unchanged since the last apply (--refresh plans anyway)");
    }

    private static StageDecision Kubeconfig(ProvisionFacts facts)
    {
        const ProvisionStage stage = ProvisionStage.Kubeconfig;
        if (!Eks(facts)) return Skip(stage, $"uses the kubeconfig context as it is{(facts.Context.Length > 0 ? $" ('{facts.Context}')" : "")}");
        return facts.KubeconfigCurrent
            ? Skip(stage, "the kubeconfig already has the EKS cluster's context, and it is the one in use")
            : Run(stage, "the kubeconfig has no current context for the EKS cluster yet");
    }

    private static StageDecision Images(ProvisionFacts facts)
    {
        const ProvisionStage stage = ProvisionStage.Images;
        if (!facts.BuildImages) return Skip(stage, "images.build is false: spark.image and notebook.image are used as given");
        if (ClusterKinds.IsLocal(facts.ClusterKind))
        {
            if (facts.DeliveredImagesFingerprint == facts.ImagesFingerprint && !facts.Refresh)
                return Skip(stage, $"images {facts.ImageTag} were already built and made available to {Describe(facts)}");
            return Run(stage, facts.DeliveredImagesFingerprint is null
                ? $"images {facts.ImageTag} are built and made available to {Describe(facts)}"
                : $"the image build context or target changed: images {facts.ImageTag} are built and made available to {Describe(facts)}");
        }
        return facts.ImagesInRegistry switch
        {
            true => Skip(stage, $"the registry already has images {facts.ImageTag}{Detail(facts)}"),
            false => Run(stage, $"the registry does not have images {facts.ImageTag} yet{Detail(facts)}"),
            null => Run(stage, $"the registry could not be asked whether it has images {facts.ImageTag}{Detail(facts)}; building and pushing is safe to repeat"),
        };
    }

    private static StageDecision Environment(ProvisionFacts facts)
    {
        const ProvisionStage stage = ProvisionStage.Environment;
        if (facts.AppliedEnvironmentFingerprint is null) return Run(stage, "no 'up' is recorded for this cluster and namespace");
        if (facts.AppliedEnvironmentFingerprint != facts.EnvironmentFingerprint)
            return Run(stage, "the environment's objects changed since the last 'up' (kindling.yaml, images or cluster outputs)");
        if (facts.Refresh) return Run(stage, "--refresh: applies again and waits for readiness");
        return facts.EnvironmentReady switch
        {
            true => Skip(stage, "unchanged since the last 'up', and the notebook is available"),
            false => Run(stage, "unchanged since the last 'up', but the notebook is not available on the cluster"),
            null => Run(stage, "unchanged since the last 'up', but the cluster could not confirm the notebook is available"),
        };
    }

    private static string Detail(ProvisionFacts facts) => facts.RegistryDetail.Length > 0 ? $" ({facts.RegistryDetail})" : "";

    private static string Describe(ProvisionFacts facts) =>
        facts.ClusterKind + (facts.Context.Length > 0 ? $" (context '{facts.Context}')" : "");

    private static StageDecision Run(ProvisionStage stage, string reason) => new(stage, StageAction.Run, reason);

    private static StageDecision Skip(ProvisionStage stage, string reason) => new(stage, StageAction.Skip, reason);
}
