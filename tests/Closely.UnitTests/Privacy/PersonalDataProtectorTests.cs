using System.Security.Cryptography;
using System.Text;
using Closely.BuildingBlocks.Privacy;
using Microsoft.Extensions.Options;

namespace Closely.UnitTests.Privacy;

public sealed class PersonalDataProtectorTests
{
    private readonly PersonalDataProtector _protector = Create();

    [Fact]
    public void Encrypted_text_reads_back_and_does_not_contain_the_plain_text()
    {
        var cipher = _protector.Encrypt("jane.doe@example.com");

        Assert.DoesNotContain("jane", Encoding.UTF8.GetString(cipher), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("jane.doe@example.com", _protector.Decrypt(cipher));
    }

    [Fact]
    public void The_same_value_encrypts_differently_each_time()
    {
        Assert.NotEqual(_protector.Encrypt("jane.doe@example.com"), _protector.Encrypt("jane.doe@example.com"));
    }

    [Fact]
    public void A_tampered_value_is_refused()
    {
        var cipher = _protector.Encrypt("jane.doe@example.com");
        cipher[^1] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => _protector.Decrypt(cipher));
    }

    [Fact]
    public void Another_key_cannot_read_the_value()
    {
        var cipher = _protector.Encrypt("jane.doe@example.com");

        Assert.ThrowsAny<CryptographicException>(() => Create().Decrypt(cipher));
    }

    [Fact]
    public void The_blind_index_ignores_case_and_surrounding_space_but_not_the_address()
    {
        Assert.Equal(_protector.EmailIndex("jane.doe@example.com"), _protector.EmailIndex("  Jane.Doe@EXAMPLE.com "));
        Assert.NotEqual(_protector.EmailIndex("jane.doe@example.com"), _protector.EmailIndex("john.doe@example.com"));
        Assert.NotEqual(_protector.EmailIndex("jane.doe@example.com"), Create().EmailIndex("jane.doe@example.com"));
    }

    [Fact]
    public void A_log_pseudonym_is_stable_and_reveals_nothing()
    {
        var pseudonym = _protector.Pseudonym("jane.doe@example.com");

        Assert.Equal(pseudonym, _protector.Pseudonym("JANE.DOE@example.com"));
        Assert.Matches("^pii:[0-9a-f]{12}$", pseudonym);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void A_malformed_key_stops_start_up_with_a_message_that_says_how_to_make_one(string key)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new PersonalDataProtector(Options.Create(new PrivacyOptions
        {
            EncryptionKey = key,
            BlindIndexKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        })));

        Assert.Contains("Privacy:EncryptionKey", exception.Message, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", exception.Message, StringComparison.Ordinal);
    }

    private static PersonalDataProtector Create() => new(Options.Create(new PrivacyOptions
    {
        EncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        BlindIndexKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    }));
}
