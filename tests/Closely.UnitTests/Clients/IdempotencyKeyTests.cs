using Closely.Intake.Clients;

namespace Closely.UnitTests.Clients;

public sealed class IdempotencyKeyTests
{
    [Theory]
    [InlineData("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"", "8e03978e-40d5-43e8-bc93-6894a57f9324")]
    [InlineData("8e03978e-40d5-43e8-bc93-6894a57f9324", "8e03978e-40d5-43e8-bc93-6894a57f9324")]
    [InlineData("\"a \\\"quoted\\\" \\\\ key\"", "a \"quoted\" \\ key")]
    public void A_quoted_structured_field_string_or_a_bare_value_is_a_key(string header, string key)
    {
        Assert.Equal(key, IdempotencyKey.Parse([header], out var problem));
        Assert.Null(problem);
    }

    [Fact]
    public void A_quoted_and_a_bare_form_of_the_same_key_are_the_same_key()
    {
        Assert.Equal(IdempotencyKey.Parse(["\"order-17\""], out _), IdempotencyKey.Parse(["order-17"], out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\"\"")]
    [InlineData("\"unterminated")]
    [InlineData("\"bad \\n escape\"")]
    [InlineData("\"inner\"quote\"")]
    [InlineData("schlüssel")]
    public void An_empty_or_malformed_key_is_refused_with_a_reason(string header)
    {
        Assert.Null(IdempotencyKey.Parse([header], out var problem));
        // Missing (blank) or unusable: either way the reason names the header and what it needs.
        Assert.Matches($"^The {IdempotencyKey.HeaderName} header (is required|must be 1 to {IdempotencyKey.MaxLength} printable ASCII characters)", problem);
    }

    [Fact]
    public void A_missing_header_is_refused_with_a_reason()
    {
        Assert.Null(IdempotencyKey.Parse([], out var problem));
        Assert.Contains("required", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_longer_than_the_column_is_refused_and_one_at_the_limit_is_kept()
    {
        Assert.Null(IdempotencyKey.Parse([new string('k', IdempotencyKey.MaxLength + 1)], out _));
        Assert.Equal(IdempotencyKey.MaxLength, IdempotencyKey.Parse([new string('k', IdempotencyKey.MaxLength)], out _)!.Length);
    }

    [Fact]
    public void Two_headers_are_refused()
    {
        Assert.Null(IdempotencyKey.Parse(["one", "two"], out var problem));
        Assert.Equal($"Send one {IdempotencyKey.HeaderName} header.", problem);
    }
}
