using Kindling.Images;

namespace Kindling.Configuration;

/// <summary>
/// Kindling builds each image for one platform (<see cref="ImagePlatform.For"/>): <c>images.platform</c>, or the
/// architecture of <c>aws.nodeInstanceType</c>. Every EKS node group that runs those images must have that
/// architecture, or its pods fail with "exec format error" (an arm64 Graviton executor group beside x86 notebook
/// nodes, or the reverse). EC2 names the architecture in the instance type (the processor option <c>g</c>,
/// "Amazon EC2 instance type naming conventions"), so this is decided from kindling.yaml alone.
/// </summary>
internal static class NodeArchitectureValidator
{
    /// <param name="spec">The bound spec.</param>
    /// <param name="written">Whether kindling.yaml sets a key path. <c>aws.nodeInstanceType</c> has a default
    /// (m5.large) that means nothing on a cluster Kindling did not provision, where <c>images.platform</c> alone
    /// decides; the two are compared only when the file sets both.</param>
    public static IReadOnlyList<SpecProblem> Validate(EnvironmentSpec spec, Func<string, bool> written)
    {
        var problems = new List<SpecProblem>();
        string? platform;
        string source;
        if (spec.Images.Platform is { } configured)
        {
            platform = ImagePlatform.Parse(configured);
            if (platform is null) return problems; // ImageSpecValidator reports the bad value itself.
            source = $"images.platform is {platform}";
        }
        else
        {
            platform = ImagePlatform.ForInstanceType(spec.Aws.NodeInstanceType);
            source = $"aws.nodeInstanceType {spec.Aws.NodeInstanceType} is {Describe(platform)}";
        }

        if (spec.Images.Platform is not null && written("aws.nodeInstanceType")
            && ImagePlatform.ForInstanceType(spec.Aws.NodeInstanceType) is var nodes && nodes != platform)
            problems.Add(new SpecProblem("aws.nodeInstanceType",
                $"'{spec.Aws.NodeInstanceType}' is {Describe(nodes)} but images.platform is {platform}: the notebook and drivers would fail " +
                $"with \"exec format error\"; use {Example(platform, "large")} or set images.platform: {nodes}"));

        if (spec.Aws.ExecutorNodes is { } executors)
        {
            for (var i = 0; i < executors.InstanceTypes.Count; i++)
            {
                var type = executors.InstanceTypes[i];
                var arch = ImagePlatform.ForInstanceType(type);
                if (arch != platform)
                    problems.Add(new SpecProblem($"aws.executorNodes.instanceTypes[{i}]",
                        $"'{type}' is {Describe(arch)} but the images are built for {platform} ({source}): executors there would fail " +
                        $"with \"exec format error\"; use {Example(platform, "xlarge")}, or make every node group {Describe(arch)}"));
            }
        }
        return problems;
    }

    private static string Describe(string platform) =>
        platform == ImagePlatform.Arm64 ? "arm64 (AWS Graviton)" : "x86-64 (linux/amd64)";

    private static string Example(string platform, string size) =>
        platform == ImagePlatform.Arm64 ? $"a Graviton type such as m7g.{size}" : $"an x86 type such as m5.{size}";
}
