using System.Diagnostics;
using Kindling.Configuration;
using Kindling.Images;
using Kindling.Operations.Spark;
using Kindling.Spark;

namespace Kindling.Bench;

/// <summary>Cold cost of each step before a submission's first request, in a fresh process.</summary>
internal static class StartupProbe
{
    public static Task<int> RunAsync()
    {
        var sw = Stopwatch.StartNew();
        void Step(string name)
        {
            Console.WriteLine($"{name}: {sw.Elapsed.TotalMilliseconds:0} ms");
            sw.Restart();
        }
        var spec = new EnvironmentSpec();
        Step("EnvironmentSpec");
        var context = ImageBuildContext.Render(spec);
        Step("ImageBuildContext.Render");
        var tag = ImageTag.Compute(spec, context);
        Step("ImageTag.Compute");
        var target = SparkSubmitTarget.For(spec, ImageResolver.Resolve(spec, new LocalState(), tag).Spark, "bench");
        Step("ImageResolver + target");
        var plan = SparkApplications.Plan(new SparkApplicationSpec { Resource = "local:///opt/a.py" }, new SparkApplicationsOptions { Namespace = "kindling", Target = target });
        Step("Plan (build pod/ConfigMap/Service)");
        _ = k8s.KubernetesJson.Serialize(plan.Submission.DriverPod);
        Step("KubernetesJson.Serialize(pod) first call");
        _ = plan.Submission.ToYaml();
        Step("ToYaml first call");
        return Task.FromResult(0);
    }
}
