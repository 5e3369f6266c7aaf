using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Closely.Cases;
using Closely.Cases.Audit;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Closely.IntegrationTests.Cases;

/// <summary>
/// The anchors of the audit chain: signed lines in an append-only file outside the database, each naming the one
/// before it, checkable with the public key alone; a line appended without the signing key changes nothing.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class AuditAnchorTests(PlatformServers servers) : IAsyncLifetime
{
    private ServiceHost<CasesOptions> _host = null!;

    public async Task InitializeAsync() => _host = await servers.StartCasesAsync("anchors");

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task Each_anchor_is_a_line_signed_over_the_root_of_every_case_head_and_names_the_anchor_before_it()
    {
        var first = await _host.OpenCaseAsync();
        var anchors = _host.Services.GetRequiredService<AuditAnchors>();
        var earlier = await anchors.WriteAsync(onlyWhenDue: false, CancellationToken.None);
        var second = await _host.OpenCaseAsync();
        var later = await anchors.WriteAsync(onlyWhenDue: false, CancellationToken.None);

        var lines = await File.ReadAllLinesAsync(_host.Services.GetRequiredService<AnchorFile>().Path);
        var written = lines.Select(l => JsonSerializer.Deserialize<AuditAnchor>(l, AuditAnchor.JsonOptions)!).ToList();
        Assert.Equal([earlier!.Sequence, later!.Sequence], written.TakeLast(2).Select(a => a.Sequence));
        Assert.Equal(earlier.Sequence + 1, later.Sequence);

        // Only the public key is needed to check a line: the statement names the root, the root is the leaves'.
        using var publicKey = servers.AnchorPublicKey();
        foreach (var anchor in written)
        {
            Assert.True(publicKey.VerifyData(Encoding.UTF8.GetBytes(anchor.Statement), Convert.FromBase64String(anchor.Signature),
                HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence), $"anchor {anchor.Sequence} is signed");
            Assert.Equal(anchor.Root, Convert.ToHexStringLower(MerkleTree.Root(anchor.Leaves.Select(l => l.Hash()).ToList())));
            Assert.Equal(anchor.Leaves.Count, anchor.TreeSize);
        }

        Assert.Equal(written[^2].StatementHash, written[^1].Previous);
        Assert.StartsWith($"closely-audit-anchor/1\nsequence: {later.Sequence}\nanchored-at: ", later.Statement, StringComparison.Ordinal);

        // Every case's head at the time: the first case in both, the second only in the later anchor.
        var firstCase = (await _host.CaseAsync(first))!;
        Assert.Contains(new AnchorLeaf(first, firstCase.AuditCount, firstCase.AuditHead), later.Leaves);
        Assert.Contains(earlier.Leaves, l => l.CaseId == first);
        Assert.DoesNotContain(earlier.Leaves, l => l.CaseId == second);
        Assert.Contains(later.Leaves, l => l.CaseId == second);
    }

    [Fact]
    public async Task An_anchor_line_appended_without_the_signing_key_is_not_taken_for_the_latest()
    {
        var caseId = await _host.OpenCaseAsync();
        var anchors = _host.Services.GetRequiredService<AuditAnchors>();
        var genuine = await anchors.WriteAsync(onlyWhenDue: false, CancellationToken.None);

        // Someone who can write the file but holds another key appends a statement of a different head.
        var leaf = new AnchorLeaf(caseId, 1, new string('b', 64));
        var forged = genuine! with
        {
            Sequence = genuine.Sequence + 1,
            AnchoredAt = genuine.AnchoredAt.AddMinutes(1),
            TreeSize = 1,
            Root = Convert.ToHexStringLower(MerkleTree.Root([leaf.Hash()])),
            Previous = genuine.StatementHash,
            Leaves = [leaf],
        };
        using (var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            forged = forged with
            {
                Signature = Convert.ToBase64String(otherKey.SignData(Encoding.UTF8.GetBytes(forged.Statement), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)),
            };
        }

        _host.Services.GetRequiredService<AnchorFile>().Append(forged);

        Assert.Equal(genuine.Sequence, anchors.Latest()!.Sequence);
        Assert.Equal(genuine.Leaves.Single(l => l.CaseId == caseId), anchors.HeadOf(caseId)!.Leaf);
    }

}
