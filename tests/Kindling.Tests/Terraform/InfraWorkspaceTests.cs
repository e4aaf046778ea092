using Kindling.Configuration;
using Kindling.Terraform;
using Kindling.Tools;

namespace Kindling.Tests.Terraform;

public sealed class InfraWorkspaceTests
{
    private static ToolEnvironment Env(string? pluginDir) =>
        new(name => name == InfraWorkspace.PluginDirVariable ? pluginDir : null);

    [Fact]
    public void The_working_directory_is_kindling_terraform_beside_the_config()
    {
        using var dir = new TempDir();
        var config = new LoadedConfig(new EnvironmentSpec(), dir.File("conf/kindling.yaml"));

        InfraWorkspace.For(config, dir.Path, Env(null)).Directory.Should().Be(dir.File("conf/.kindling/terraform"));
        InfraWorkspace.For(new LoadedConfig(new EnvironmentSpec(), null), dir.Path, Env(null)).Directory
            .Should().Be(dir.File(".kindling/terraform"), "with the built-in defaults it is in the working directory");
    }

    [Fact]
    public void The_plugin_directory_comes_from_the_env_var_then_the_config_relative_to_the_config_file()
    {
        using var dir = new TempDir();
        var spec = new EnvironmentSpec { Terraform = new TerraformSpec { PluginDir = "mirror" } };
        var config = new LoadedConfig(spec, dir.File("conf/kindling.yaml"));

        InfraWorkspace.For(config, dir.Path, Env(null)).PluginDirectory.Should().Be(dir.File("conf/mirror"));
        InfraWorkspace.For(config, dir.Path, Env("/opt/tf-plugins")).PluginDirectory.Should().Be("/opt/tf-plugins");
        InfraWorkspace.For(new LoadedConfig(new EnvironmentSpec(), null), dir.Path, Env(null)).PluginDirectory.Should().BeNull();
    }

    [Fact]
    public void Writing_the_module_replaces_stale_tf_files_and_keeps_terraforms_own()
    {
        using var dir = new TempDir();
        var workspace = InfraWorkspace.For(new LoadedConfig(new EnvironmentSpec(), null), dir.Path, Env(null));
        dir.Write(".kindling/terraform/old.tf", "# from an older Kindling");
        dir.Write(".kindling/terraform/terraform.tfstate", "{}");

        workspace.WriteModule();

        Directory.GetFiles(workspace.Directory).Select(Path.GetFileName).Should()
            .BeEquivalentTo("versions.tf", "variables.tf", "main.tf", "outputs.tf", "history.tf", "terraform.tfstate");
    }
}
