using System.Globalization;
using System.Resources;
using Closely.Contracts;

namespace Closely.BuildingBlocks.Localization;

/// <summary>
/// What a right is called for the requester, with its article — on the status page and in the emails, so the
/// two name it alike: <c>Localization/RightNames.resx</c> (English) and one file per further language.
/// </summary>
public static class RightNames
{
    private static readonly ResourceManager Texts = new(typeof(RightNames));

    public static string Of(DataSubjectRight right, CultureInfo culture) =>
        Texts.GetString(right.ToString(), culture)
        ?? throw new InvalidOperationException($"Localization/RightNames.resx has no name for the right {right}.");
}
