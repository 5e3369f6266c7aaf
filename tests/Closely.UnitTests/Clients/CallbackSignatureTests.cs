using System.Text;
using Closely.Intake.Clients;

namespace Closely.UnitTests.Clients;

public sealed class CallbackSignatureTests
{
    private const string Secret = "whsec_test_secret";
    private const long Timestamp = 1_700_000_000;
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"a":1}""");
    private static readonly DateTimeOffset SentAt = DateTimeOffset.FromUnixTimeSeconds(Timestamp);

    // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test_secret
    private const string KnownSignature = "v1=aecbc681fe3d2604c08ff8e880a0988d997a12367fcf9545e6a3b90c1dfc04b7";

    [Fact]
    public void The_signature_is_the_hex_HMAC_SHA256_of_timestamp_dot_body()
    {
        Assert.Equal(KnownSignature, CallbackSignature.Sign(Secret, Timestamp, Body));
    }

    [Fact]
    public void A_known_signature_verifies()
    {
        Assert.True(CallbackSignature.Verify(Secret, "1700000000", Body, KnownSignature, CallbackSignature.DefaultTolerance, SentAt));
    }

    [Fact]
    public void A_tampered_body_does_not_verify()
    {
        var tampered = Encoding.UTF8.GetBytes("""{"a":2}""");

        Assert.False(CallbackSignature.Verify(Secret, "1700000000", tampered, KnownSignature, CallbackSignature.DefaultTolerance, SentAt));
    }

    [Fact]
    public void Another_secret_or_another_timestamp_does_not_verify()
    {
        Assert.False(CallbackSignature.Verify("whsec_other_secret", "1700000000", Body, KnownSignature, CallbackSignature.DefaultTolerance, SentAt));
        Assert.False(CallbackSignature.Verify(Secret, "1700000001", Body, KnownSignature, CallbackSignature.DefaultTolerance, SentAt));
    }

    [Theory]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(301, false)]
    [InlineData(-301, false)]
    [InlineData(86_400, false)]
    public void The_timestamp_must_lie_within_the_tolerance_of_the_receivers_clock(int receivedSecondsLater, bool verifies)
    {
        var now = SentAt.AddSeconds(receivedSecondsLater);

        Assert.Equal(verifies, CallbackSignature.Verify(Secret, "1700000000", Body, KnownSignature, TimeSpan.FromMinutes(5), now));
    }

    [Fact]
    public void During_a_secret_rotation_one_matching_signature_among_several_is_enough()
    {
        var header = $"v1={new string('0', 64)}, {KnownSignature}";

        Assert.True(CallbackSignature.Verify(Secret, "1700000000", Body, header, CallbackSignature.DefaultTolerance, SentAt));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("aecbc681fe3d2604c08ff8e880a0988d997a12367fcf9545e6a3b90c1dfc04b7")]
    [InlineData("v0=aecbc681fe3d2604c08ff8e880a0988d997a12367fcf9545e6a3b90c1dfc04b7")]
    [InlineData("v1=aecbc681fe3d2604c08ff8e880a0988d997a12367fcf9545e6a3b90c1dfc04")]
    [InlineData("v1=zzcbc681fe3d2604c08ff8e880a0988d997a12367fcf9545e6a3b90c1dfc04b7")]
    public void A_missing_or_malformed_signature_does_not_verify(string? signature)
    {
        Assert.False(CallbackSignature.Verify(Secret, "1700000000", Body, signature, CallbackSignature.DefaultTolerance, SentAt));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("+1700000000")]
    [InlineData("1700000000.0")]
    [InlineData("2023-11-14T22:13:20Z")]
    public void A_missing_or_malformed_timestamp_does_not_verify(string? timestamp)
    {
        Assert.False(CallbackSignature.Verify(Secret, timestamp, Body, KnownSignature, CallbackSignature.DefaultTolerance, SentAt));
    }
}
