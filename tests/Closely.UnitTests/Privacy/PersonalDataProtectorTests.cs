using System.Security.Cryptography;
using System.Text;
using Closely.BuildingBlocks.Privacy;
using Microsoft.Extensions.Options;

namespace Closely.UnitTests.Privacy;

public sealed class PersonalDataProtectorTests
{
    private static readonly EncryptionContext Row = new("cases.case_sagas", "requester_email_encrypted", "8c3f3d52-64a3-4a5e-9d4e-0f1c2b3a4d5e");
    private static readonly string BlindIndexKey = NewKey();
    private readonly PersonalDataProtector _protector = Create();

    [Fact]
    public void Encrypted_text_reads_back_names_the_active_key_and_does_not_contain_the_plain_text()
    {
        var cipher = _protector.Encrypt("jane.doe@example.com", Row);

        Assert.DoesNotContain("jane", Encoding.UTF8.GetString(cipher), StringComparison.OrdinalIgnoreCase);
        Assert.Equal([2, 7, .. "default"u8], cipher[..9]);
        Assert.Equal(_protector.ActiveKeyPrefix(), cipher[..9]);
        Assert.Equal("jane.doe@example.com", _protector.Decrypt(cipher, Row));
    }

    [Fact]
    public void The_same_value_encrypts_differently_each_time()
    {
        Assert.NotEqual(_protector.Encrypt("jane.doe@example.com", Row), _protector.Encrypt("jane.doe@example.com", Row));
    }

    [Fact]
    public void A_tampered_value_is_refused()
    {
        var cipher = _protector.Encrypt("jane.doe@example.com", Row);
        cipher[^1] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => _protector.Decrypt(cipher, Row));
    }

    [Fact]
    public void Another_key_cannot_read_the_value()
    {
        var cipher = _protector.Encrypt("jane.doe@example.com", Row);

        Assert.ThrowsAny<CryptographicException>(() => Create(single: NewKey()).Decrypt(cipher, Row));
    }

    [Theory]
    [InlineData("intake.requests", "requester_email_encrypted", "8c3f3d52-64a3-4a5e-9d4e-0f1c2b3a4d5e")]
    [InlineData("cases.case_sagas", "agent_email_encrypted", "8c3f3d52-64a3-4a5e-9d4e-0f1c2b3a4d5e")]
    [InlineData("cases.case_sagas", "requester_email_encrypted", "0d3c4b6e-0000-4a5e-9d4e-0f1c2b3a4d5e")]
    public void A_value_copied_to_another_table_column_or_row_does_not_decrypt(string table, string column, string row)
    {
        var cipher = _protector.Encrypt("jane.doe@example.com", Row);

        Assert.ThrowsAny<CryptographicException>(() => _protector.Decrypt(cipher, new EncryptionContext(table, column, row)));
    }

    [Fact]
    public void A_changed_key_id_in_the_header_is_refused_even_when_that_key_exists()
    {
        var both = Create(keys: new() { ["dflt1aa"] = Key }, single: Key);
        var cipher = both.Encrypt("jane.doe@example.com", Row);
        "dflt1aa"u8.CopyTo(cipher.AsSpan(2));

        Assert.ThrowsAny<CryptographicException>(() => both.Decrypt(cipher, Row));
    }

    [Fact]
    public void After_a_rotation_old_values_decrypt_new_ones_use_the_active_key_and_a_removed_key_is_named()
    {
        var newKey = NewKey();
        var old = _protector.Encrypt("jane.doe@example.com", Row);
        var rotated = Create(keys: new() { ["2027"] = newKey }, active: "2027");

        var renewed = rotated.Encrypt("jane.doe@example.com", Row);

        Assert.Equal("jane.doe@example.com", rotated.Decrypt(old, Row));
        Assert.Equal([2, 4, .. "2027"u8], renewed[..6]);
        var retired = Create(keys: new() { ["2027"] = newKey }, single: "", active: "2027");
        Assert.Equal("jane.doe@example.com", retired.Decrypt(renewed, Row));
        var missing = Assert.ThrowsAny<CryptographicException>(() => retired.Decrypt(old, Row));
        Assert.Contains("key 'default'", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_blind_index_ignores_case_and_surrounding_space_but_not_the_address()
    {
        Assert.Equal(_protector.EmailIndex("jane.doe@example.com"), _protector.EmailIndex("  Jane.Doe@EXAMPLE.com "));
        Assert.NotEqual(_protector.EmailIndex("jane.doe@example.com"), _protector.EmailIndex("john.doe@example.com"));
        Assert.NotEqual(_protector.EmailIndex("jane.doe@example.com"), Create(blindIndexKey: NewKey()).EmailIndex("jane.doe@example.com"));
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
        var exception = Assert.Throws<InvalidOperationException>(() => Create(single: key));

        Assert.Contains("Privacy:EncryptionKey", exception.Message, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2027", "2028", "Privacy:ActiveKeyId is '2028', but no key has that id (configured: 2027, default).")]
    [InlineData("key id with spaces", "", "Privacy:EncryptionKeys:key id with spaces: a key id is 1 to 32 letters")]
    [InlineData("default", "", "Privacy:EncryptionKeys:default and Privacy:EncryptionKey are both set")]
    public void A_key_ring_that_does_not_add_up_is_named_in_the_start_up_error(string keyId, string active, string expected)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Create(keys: new() { [keyId] = NewKey() }, active: active));

        Assert.StartsWith(expected, exception.Message, StringComparison.Ordinal);
    }

    private static string Key { get; } = NewKey();

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static PersonalDataProtector Create(Dictionary<string, string>? keys = null, string? single = null, string active = "", string? blindIndexKey = null)
    {
        var options = new PrivacyOptions { EncryptionKey = single ?? Key, ActiveKeyId = active, BlindIndexKey = blindIndexKey ?? BlindIndexKey };
        foreach (var (id, value) in keys ?? [])
        {
            options.EncryptionKeys[id] = value;
        }

        return new PersonalDataProtector(Options.Create(options));
    }
}
