using System.Text;
using k8s;
using k8s.Models;

namespace Kindling.Tests.FakeKube;

public sealed class ValidationTests
{
    [Fact]
    public async Task Secret_string_data_is_folded_into_base64_data()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        var secret = new V1Secret { Metadata = new V1ObjectMeta { Name = "token" }, StringData = new Dictionary<string, string> { ["token"] = "s3cret" } };
        var applied = await h.Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch(KubernetesJson.Serialize(secret with { ApiVersion = "v1", Kind = "Secret" }), V1Patch.PatchType.ApplyPatch), "token", "team", fieldManager: "kindling");
        applied.StringData.Should().BeNull();
        Encoding.UTF8.GetString(applied.Data["token"]).Should().Be("s3cret");
        applied.Type.Should().Be("Opaque");

        var again = await h.Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch(KubernetesJson.Serialize(secret with { ApiVersion = "v1", Kind = "Secret" }), V1Patch.PatchType.ApplyPatch), "token", "team", fieldManager: "kindling");
        again.Metadata.ResourceVersion.Should().Be(applied.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Invalid_objects_are_rejected_with_422_and_field_causes()
    {
        await using var h = await FakeKubeHarness.StartAsync();

        var longPort = await CrudTests.Capture(() => h.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "i:1", Ports = [new V1ContainerPort { Name = "way-too-long-port-name", ContainerPort = 1 }] }] },
        }, "team"));
        longPort.Code.Should().Be(422);
        longPort.Details.Causes.Should().ContainSingle(c => c.Field == "spec.containers[0].ports[0].name");

        var deployment = ControllerTests.Deployment("d");
        deployment.Spec.Template.Metadata.Labels = new Dictionary<string, string> { ["app"] = "other" };
        var mismatch = await CrudTests.Capture(() => h.Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "team"));
        mismatch.Code.Should().Be(422);
        mismatch.Message.Should().Contain("`selector` does not match template `labels`");

        var badLabel = await CrudTests.Capture(() => h.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "c", Labels = new Dictionary<string, string> { ["spark-app-name"] = new string('a', 64) } },
        }, "team"));
        badLabel.Code.Should().Be(422);
    }

    [Fact]
    public async Task Pod_spec_is_immutable_except_images()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        await h.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "i:1" }] },
        }, "team");

        var image = await h.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i:2\"}]}}", V1Patch.PatchType.StrategicMergePatch), "p", "team");
        image.Spec.Containers[0].Image.Should().Be("i:2");

        var forbidden = await CrudTests.Capture(() => h.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("{\"spec\":{\"restartPolicy\":\"Never\"}}", V1Patch.PatchType.MergePatch), "p", "team"));
        forbidden.Code.Should().Be(422);
        forbidden.Message.Should().Contain("pod updates may not change fields");
    }
}
