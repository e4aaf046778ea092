using Kindling.Cluster;

namespace Kindling.Tests.Cluster;

/// <summary>What prune keeps: the notebooks' volume always, and a StorageClass of the environment only while a claim names it.</summary>
public sealed class InventoryKeepPolicyTests
{
    [Fact]
    public void Prune_keeps_the_claim_and_a_storage_class_a_claim_still_names()
    {
        var keep = Inventory.PruneKeeps(new HashSet<string>(StringComparer.Ordinal) { "kindling-gp3" });

        keep(new ObjectRef("PersistentVolumeClaim", "kindling", "kindling-notebooks")).Should().Contain("down --purge");
        keep(new ObjectRef("StorageClass", "", "kindling-gp3")).Should().Contain("the notebooks' PVC uses it");
        keep(new ObjectRef("StorageClass", "", "kindling-old")).Should().BeNull();
        keep(new ObjectRef("ConfigMap", "kindling", "anything")).Should().BeNull();
    }
}
