using k8s.Models;
using Kindling.Resources;
using Kindling.Spark;
using Kindling.Spark.Notebook;

namespace Kindling.Tests.Resources;

/// <summary>DESIGN §5.6: the Spark ServiceAccount carries the IRSA role once Terraform has created it.</summary>
public sealed class IrsaManifestTests
{
    [Fact]
    public void Without_a_role_the_service_account_has_no_annotation_and_s3a_keeps_its_default_chain()
    {
        var manifests = EnvironmentManifests.Build(ManifestFixtures.Default());

        ServiceAccount(manifests).Metadata.Annotations.Should().BeNull();
        JupyterEnv(manifests).Select(e => e.Name).Should().NotContain(NotebookEnvironment.S3aCredentialsProvider);
    }

    [Fact]
    public void With_a_role_the_service_account_is_annotated_and_the_notebook_uses_web_identity()
    {
        var manifests = EnvironmentManifests.Build(ManifestFixtures.Irsa());

        ServiceAccount(manifests).Metadata.Annotations.Should().Equal(
            new Dictionary<string, string> { ["eks.amazonaws.com/role-arn"] = ManifestFixtures.SparkRoleArn });
        JupyterEnv(manifests).Single(e => e.Name == NotebookEnvironment.S3aCredentialsProvider).Value
            .Should().Be("com.amazonaws.auth.WebIdentityTokenCredentialsProvider");
    }

    [Fact]
    public void A_provider_named_in_spark_conf_wins_over_the_web_identity_default()
    {
        // The variant fixture names a provider in spark.conf itself.
        var inputs = ManifestFixtures.Variant() with { SparkRoleArn = ManifestFixtures.SparkRoleArn };
        var manifests = EnvironmentManifests.Build(inputs);

        ServiceAccount(manifests).Metadata.Annotations.Should().ContainKey("eks.amazonaws.com/role-arn");
        JupyterEnv(manifests).Select(e => e.Name).Should().NotContain(NotebookEnvironment.S3aCredentialsProvider);
    }

    [Theory]
    [InlineData("3.5.5", "com.amazonaws.auth.WebIdentityTokenCredentialsProvider")]
    [InlineData("4.0.1", "software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider")]
    public void The_provider_class_matches_the_aws_sdk_of_the_spark_release(string sparkVersion, string provider) =>
        S3aCredentials.WebIdentityProvider(sparkVersion).Should().Be(provider);

    private static V1ServiceAccount ServiceAccount(IReadOnlyList<Manifest> manifests) =>
        manifests.Select(m => m.Object).OfType<V1ServiceAccount>().Single();

    private static IList<V1EnvVar> JupyterEnv(IReadOnlyList<Manifest> manifests) =>
        manifests.Select(m => m.Object).OfType<V1Deployment>().Single().Spec.Template.Spec.Containers.Single().Env;
}
