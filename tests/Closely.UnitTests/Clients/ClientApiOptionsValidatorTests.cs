using Closely.Intake.Clients;

namespace Closely.UnitTests.Clients;

public sealed class ClientApiOptionsValidatorTests
{
    private const string Hash = "fdd133d6c8928580afb67a2a933d663c815eb6234a66e5c6a7e088b0c7530cad";
    private const string Secret = "a-callback-secret-of-32-characters";

    private static IEnumerable<string> Failures(string id, ClientRegistration client, ClientRegistration? other = null)
    {
        var options = new ClientApiOptions { Clients = { [id] = client } };
        if (other is not null)
        {
            options.Clients["other"] = other;
        }

        return new ClientApiOptionsValidator().Validate(null, options).Failures ?? [];
    }

    [Fact]
    public void A_client_with_a_key_hash_and_an_https_callback_is_valid()
    {
        Assert.Empty(Failures("acme", new ClientRegistration { ApiKeyHash = Hash, CallbackUrl = new("https://acme.example/dsr"), CallbackSecret = Secret }));
        Assert.Empty(Failures("acme-2", new ClientRegistration { ApiKeyHash = Hash }));
        Assert.Empty(Failures("acme", new ClientRegistration { ApiKeyHash = Hash, CallbackUrl = new("http://127.0.0.1:9000/cb"), CallbackSecret = Secret }));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("an-api-key-where-its-hash-belongs")]
    [InlineData("fdd133d6c8928580afb67a2a933d663c815eb6234a66e5c6a7e088b0c7530ca")]
    public void A_missing_key_hash_or_a_key_in_its_place_is_refused_naming_the_setting(string? hash)
    {
        var failure = Assert.Single(Failures("acme", new ClientRegistration { ApiKeyHash = hash }));
        Assert.StartsWith("Intake:Clients:acme:ApiKeyHash", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Acme")]
    [InlineData("acme corp")]
    [InlineData("-acme")]
    public void A_client_id_other_than_lower_case_letters_digits_and_dashes_is_refused(string id)
    {
        Assert.Single(Failures(id, new ClientRegistration { ApiKeyHash = Hash }));
    }

    [Fact]
    public void Two_clients_with_the_same_key_are_refused()
    {
        var failure = Assert.Single(Failures("acme", new ClientRegistration { ApiKeyHash = Hash }, new ClientRegistration { ApiKeyHash = Hash.ToUpperInvariant() }));
        Assert.Contains("own key", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_callback_needs_https_off_loopback_and_a_long_enough_secret()
    {
        Assert.Contains(
            Failures("acme", new ClientRegistration { ApiKeyHash = Hash, CallbackUrl = new("http://acme.example/dsr"), CallbackSecret = Secret }),
            f => f.StartsWith("Intake:Clients:acme:CallbackUrl", StringComparison.Ordinal));
        Assert.Contains(
            Failures("acme", new ClientRegistration { ApiKeyHash = Hash, CallbackUrl = new("https://acme.example/dsr") }),
            f => f.StartsWith("Intake:Clients:acme:CallbackSecret", StringComparison.Ordinal));
        Assert.Contains(
            Failures("acme", new ClientRegistration { ApiKeyHash = Hash, CallbackUrl = new("https://acme.example/dsr"), CallbackSecret = "short" }),
            f => f.StartsWith("Intake:Clients:acme:CallbackSecret", StringComparison.Ordinal));
    }
}
