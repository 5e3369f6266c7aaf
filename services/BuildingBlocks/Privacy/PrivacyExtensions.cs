using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Closely.BuildingBlocks.Privacy;

public static class PrivacyExtensions
{
    /// <summary>Registers <see cref="PersonalDataProtector"/>; a missing or malformed key stops start-up, naming the setting.</summary>
    public static IHostApplicationBuilder AddPersonalDataProtection(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<PrivacyOptions>()
            .Bind(builder.Configuration.GetSection(PrivacyOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PrivacyOptions>, PrivacyKeysValidation>();
        builder.Services.AddSingleton<PersonalDataProtector>();
        return builder;
    }

    private sealed class PrivacyKeysValidation : IValidateOptions<PrivacyOptions>
    {
        public ValidateOptionsResult Validate(string? name, PrivacyOptions options)
        {
            var problem = KeyRing.Problem(options.EncryptionKeyRing())
                ?? (KeySetting.TryDecode(options.BlindIndexKey, out _)
                    ? null
                    : KeySetting.Problem($"{PrivacyOptions.SectionName}:{nameof(PrivacyOptions.BlindIndexKey)}"));
            return problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problem);
        }
    }
}
