using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Closely.BuildingBlocks.Localization;
using Closely.Contracts;
using Closely.Identity.Verification;
using Closely.Intake.Pages;

namespace Closely.UnitTests.Localization;

/// <summary>Every text of the public pages has its translation in every language offered, with the same placeholders.</summary>
public sealed partial class TranslationTests
{
    public static TheoryData<string> Texts() => new()
    {
        "Closely.Intake.Resources.Pages.PageTexts, Closely.Intake",
        "Closely.Identity.Resources.Verification.VerificationTexts, Closely.Identity",
        "Closely.BuildingBlocks.Localization.RightNames, Closely.BuildingBlocks",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Every_text_is_translated_with_the_same_placeholders(string resource)
    {
        var (baseName, assemblyName) = (resource.Split(", ")[0], resource.Split(", ")[1]);
        var assembly = new[] { typeof(PageTexts).Assembly, typeof(VerificationTexts).Assembly, typeof(RightNames).Assembly }.Single(a => a.GetName().Name == assemblyName);
        var texts = new ResourceManager(baseName, assembly);
        var english = Entries(texts, CultureInfo.InvariantCulture);
        Assert.NotEmpty(english);

        foreach (var language in PublicLanguages.All.Skip(1))
        {
            var translated = Entries(texts, CultureInfo.GetCultureInfo(language.Code));
            Assert.Equal(english.Keys.Order(), translated.Keys.Order());
            Assert.All(english, e =>
            {
                Assert.False(string.IsNullOrWhiteSpace(translated[e.Key]), $"{e.Key} is empty in {language.Code}");
                if (e.Value != "Closely")
                {
                    Assert.NotEqual(e.Value, translated[e.Key]);
                }

                Assert.Equal(Placeholders(e.Value), Placeholders(translated[e.Key]));
            });
        }
    }

    [Fact]
    public void Every_right_has_a_name_in_every_language()
    {
        foreach (var language in PublicLanguages.All)
        {
            Assert.All(Enum.GetValues<DataSubjectRight>(), r => Assert.False(string.IsNullOrWhiteSpace(RightNames.Of(r, language.Culture))));
        }

        Assert.Equal("Löschung (Art. 17 DSGVO)", RightNames.Of(DataSubjectRight.Erasure, PublicLanguages.German.Culture));
        Assert.Equal("Erasure of your data (Article 17 GDPR)", RightNames.Of(DataSubjectRight.Erasure, PublicLanguages.English.Culture));
    }

    private static Dictionary<string, string> Entries(ResourceManager texts, CultureInfo culture) =>
        texts.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    private static List<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Value).Order().ToList();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
