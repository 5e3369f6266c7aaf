using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Closely.BuildingBlocks.Privacy;

public static class PrivacyExtensions
{
    /// <summary>Registers <see cref="PersonalDataProtector"/>; a missing or malformed key stops start-up.</summary>
    public static IHostApplicationBuilder AddPersonalDataProtection(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PrivacyOptions>()
            .Bind(builder.Configuration.GetSection(PrivacyOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => KeySetting.TryDecode(o.EncryptionKey, out _) && KeySetting.TryDecode(o.BlindIndexKey, out _),
                "Privacy:EncryptionKey and Privacy:BlindIndexKey must each be 32 random bytes in base64 " +
                "(openssl rand -base64 32).")
            .ValidateOnStart();
        builder.Services.AddSingleton<PersonalDataProtector>();
        return builder;
    }

    /// <summary>An EF Core converter that stores a string column encrypted.</summary>
    public static ValueConverter<string, byte[]> EncryptedStringConverter(this PersonalDataProtector protector)
    {
        ArgumentNullException.ThrowIfNull(protector);
        return new ValueConverter<string, byte[]>(v => protector.Encrypt(v), v => protector.Decrypt(v));
    }

    /// <summary>An EF Core converter that stores a binary column (a document) encrypted.</summary>
    public static ValueConverter<byte[], byte[]> EncryptedBytesConverter(this PersonalDataProtector protector)
    {
        ArgumentNullException.ThrowIfNull(protector);
        return new ValueConverter<byte[], byte[]>(v => protector.EncryptBytes(v), v => protector.DecryptBytes(v));
    }
}
