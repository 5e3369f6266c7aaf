using Closely.Cases.Audit;

namespace Closely.UnitTests.Audit;

public sealed class MerkleTreeTests
{
    // The leaves and roots of Certificate Transparency's Merkle tree test vectors (RFC 6962 / 9162 trees).
    private static readonly byte[][] Leaves =
    [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [.. Enumerable.Range(0x50, 8).Select(b => (byte)b)], [.. Enumerable.Range(0x60, 16).Select(b => (byte)b)],
    ];

    [Theory]
    [InlineData(1, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")]
    [InlineData(3, "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77")]
    [InlineData(5, "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4")]
    [InlineData(8, "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")]
    public void The_root_is_the_one_of_the_published_test_vectors(int size, string root)
    {
        Assert.Equal(root, Convert.ToHexStringLower(MerkleTree.Root(Hashes(size))));
    }

    [Fact]
    public void Every_leaf_of_trees_of_every_size_up_to_40_is_proven_by_its_audit_path_and_no_other_leaf_is()
    {
        for (var size = 1; size <= 40; size++)
        {
            var leaves = Enumerable.Range(0, size).Select(i => MerkleTree.LeafHash(BitConverter.GetBytes(i))).ToList();
            var root = MerkleTree.Root(leaves);
            for (var index = 0; index < size; index++)
            {
                var path = MerkleTree.Path(leaves, index);

                Assert.True(MerkleTree.Verify(leaves[index], index, size, path, root), $"leaf {index} of {size}");
                Assert.False(MerkleTree.Verify(MerkleTree.LeafHash([0xff]), index, size, path, root), $"another leaf at {index} of {size}");
                if (size > 1)
                {
                    Assert.False(MerkleTree.Verify(leaves[index], (index + 1) % size, size, path, root), $"leaf {index} of {size} at another index");
                }
            }
        }
    }

    [Fact]
    public void A_path_longer_than_its_tree_size_allows_another_root_or_a_shortened_path_does_not_verify()
    {
        var leaves = Hashes(7);
        var path = MerkleTree.Path(leaves, 4);

        Assert.False(MerkleTree.Verify(leaves[4], 4, 5, path, MerkleTree.Root(leaves)));
        Assert.False(MerkleTree.Verify(leaves[4], 4, 7, path, MerkleTree.Root(Hashes(6))));
        Assert.False(MerkleTree.Verify(leaves[4], 4, 7, path.Take(2).ToList(), MerkleTree.Root(leaves)));
    }

    private static List<byte[]> Hashes(int size) => Leaves.Take(size).Select(l => MerkleTree.LeafHash(l)).ToList();
}
