using Closely.Intake.Requests;

namespace Closely.UnitTests.Intake;

/// <summary>The platform's own addresses are never a requester, on any channel that validates a request (issue 14 item 5).</summary>
public sealed class PlatformAddressTests
{
    private static readonly string[] PlatformDomains = ["closely.example"];

    [Theory]
    [InlineData("privacy@closely.example")]
    [InlineData("DPO@Closely.Example")]
    [InlineData("noreply@mail.closely.example")]
    public void A_platform_address_is_refused_as_the_requester(string email)
    {
        var errors = new SubmitRequest("erasure", email, null, null).Validate(out var valid, PlatformDomains);

        Assert.Null(valid);
        Assert.Equal([SubmitRequest.PlatformAddressRefused], errors["email"]);
    }

    [Theory]
    [InlineData("jane@notclosely.example")]
    [InlineData("jane@closely.example.com")]
    public void A_lookalike_domain_is_a_requester_like_any_other(string email)
    {
        var errors = new SubmitRequest("erasure", email, null, null).Validate(out var valid, PlatformDomains);

        Assert.Empty(errors);
        Assert.Equal(email, valid!.Email);
    }
}
