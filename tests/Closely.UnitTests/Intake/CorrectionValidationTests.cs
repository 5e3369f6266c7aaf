using Closely.Contracts;
using Closely.Intake.Requests;

namespace Closely.UnitTests.Intake;

/// <summary>The structured corrections of a rectification request, as the API and the form validate them (ADR 29).</summary>
public sealed class CorrectionValidationTests
{
    [Fact]
    public void Corrections_of_known_fields_are_taken_trimmed_with_the_field_named_as_the_registry_names_it()
    {
        var errors = Request("rectification", new CorrectionInput("JOBTITLE", " Head of Data ", " Chief Data Officer "), new CorrectionInput("country", null, "DE"))
            .Validate(out var valid, []);

        Assert.Empty(errors);
        Assert.Equal(
            [new FieldCorrection { Field = "jobTitle", Current = "Head of Data", Correction = "Chief Data Officer" }, new FieldCorrection { Field = "country", Correction = "DE" }],
            valid!.Corrections);
    }

    [Theory]
    [InlineData("salary", "CTO", "corrections[0].field")]
    [InlineData("jobTitle", "", "corrections[0].correction")]
    [InlineData("jobTitle", "CTO\u0000", "corrections[0].correction")]
    [InlineData("jobTitle", "line\nbreak", "corrections[0].correction")]
    [InlineData("jobTitle", "Chief Data Officer\n", "corrections[0].correction")]
    public void A_correction_of_an_unknown_field_or_an_empty_or_control_character_value_is_refused_naming_it(string field, string correction, string key)
    {
        var errors = Request("rectification", new CorrectionInput(field, null, correction)).Validate(out var valid, []);

        Assert.Null(valid);
        Assert.Contains(key, errors.Keys);
    }

    [Fact]
    public void A_value_longer_than_the_bound_is_refused_for_the_correction_and_the_current_value()
    {
        var tooLong = new string('x', CorrectionInput.MaxValueLength + 1);

        var errors = Request("rectification", new CorrectionInput("fullName", tooLong, tooLong)).Validate(out _, []);

        Assert.Equal(["corrections[0].current", "corrections[0].correction"], errors.Keys.Order().Reverse());
    }

    [Fact]
    public void The_same_field_twice_and_more_corrections_than_fields_are_refused()
    {
        var twice = Request("rectification", new CorrectionInput("email", null, "a@example.com"), new CorrectionInput("Email", null, "b@example.com")).Validate(out _, []);
        var many = Request("rectification", [.. Enumerable.Repeat(new CorrectionInput("phone", null, "1"), CorrectionInput.MaxCorrections + 1)]).Validate(out _, []);

        Assert.Contains("corrections[1].field", twice.Keys);
        Assert.Contains("corrections", many.Keys);
    }

    [Fact]
    public void Corrections_are_given_only_with_a_rectification()
    {
        var errors = Request("erasure", new CorrectionInput("jobTitle", null, "CTO")).Validate(out var valid, []);

        Assert.Null(valid);
        Assert.Equal(["Are given only with type rectification."], errors["corrections"]);
    }

    [Fact]
    public void A_rectification_without_corrections_is_still_taken_with_its_free_text()
    {
        var errors = Request("rectification").Validate(out var valid, []);

        Assert.Empty(errors);
        Assert.Empty(valid!.Corrections);
    }

    private static SubmitRequest Request(string type, params CorrectionInput[] corrections) =>
        new(type, "jane.doe@example.com", "Jane Doe", "My title is wrong.", Corrections: corrections);
}
