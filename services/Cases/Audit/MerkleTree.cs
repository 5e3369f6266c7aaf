using System.Security.Cryptography;

namespace Closely.Cases.Audit;

/// <summary>
/// The Merkle tree of RFC 9162 (Certificate Transparency 2.0, section 2.1): a leaf hashes as SHA-256(0x00 || leaf),
/// a node as SHA-256(0x01 || left || right), and a tree of n &gt; 1 leaves splits at the largest power of two below
/// n. An audit path proves that one leaf is in a tree with a given root without the other leaves.
/// </summary>
public static class MerkleTree
{
    public static byte[] LeafHash(ReadOnlySpan<byte> leaf) => SHA256.HashData([0x00, .. leaf]);

    public static byte[] Root(IReadOnlyList<byte[]> leafHashes)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        return leafHashes.Count == 0 ? SHA256.HashData([]) : Root(leafHashes, 0, leafHashes.Count);
    }

    /// <summary>The audit path of leaf <paramref name="index"/>: the sibling hashes from the leaf up to the root.</summary>
    public static IReadOnlyList<byte[]> Path(IReadOnlyList<byte[]> leafHashes, int index)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, leafHashes.Count);
        var path = new List<byte[]>();
        Path(leafHashes, index, 0, leafHashes.Count, path);
        return path;
    }

    /// <summary>True when <paramref name="path"/> leads from the leaf at <paramref name="index"/> of a tree of <paramref name="size"/> leaves to <paramref name="root"/>.</summary>
    public static bool Verify(byte[] leafHash, int index, int size, IReadOnlyList<byte[]> path, byte[] root)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (index < 0 || index >= size)
        {
            return false;
        }

        // RFC 9162, section 2.1.3.2.
        long fn = index, sn = size - 1;
        var r = leafHash;
        foreach (var p in path)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = Node(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = Node(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    private static byte[] Root(IReadOnlyList<byte[]> leaves, int start, int end)
    {
        if (end - start == 1)
        {
            return leaves[start];
        }

        var split = start + Split(end - start);
        return Node(Root(leaves, start, split), Root(leaves, split, end));
    }

    private static void Path(IReadOnlyList<byte[]> leaves, int index, int start, int end, List<byte[]> path)
    {
        if (end - start == 1)
        {
            return;
        }

        var split = start + Split(end - start);
        if (index < split)
        {
            Path(leaves, index, start, split, path);
            path.Add(Root(leaves, split, end));
        }
        else
        {
            Path(leaves, index, split, end, path);
            path.Add(Root(leaves, start, split));
        }
    }

    /// <summary>The largest power of two smaller than <paramref name="n"/> (n &gt; 1).</summary>
    private static int Split(int n) => 1 << (31 - int.LeadingZeroCount(n - 1));

    private static byte[] Node(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);
}
