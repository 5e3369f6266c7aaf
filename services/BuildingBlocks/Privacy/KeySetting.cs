namespace Closely.BuildingBlocks.Privacy;

/// <summary>A secret key in configuration: base64 of exactly 32 random bytes (<c>openssl rand -base64 32</c>).</summary>
public static class KeySetting
{
    public static bool TryDecode(string? value, out byte[] key)
    {
        var buffer = new byte[64];
        if (Convert.TryFromBase64String(value ?? "", buffer, out var written) && written == 32)
        {
            key = buffer[..32];
            return true;
        }

        key = [];
        return false;
    }

    /// <summary>The key in <paramref name="value"/>, or an exception naming <paramref name="setting"/> and how to make one.</summary>
    public static byte[] Decode(string? value, string setting) =>
        TryDecode(value, out var key) ? key : throw new InvalidOperationException(Problem(setting));

    /// <summary>What is wrong with a bad key in <paramref name="setting"/>, and how to make a good one.</summary>
    public static string Problem(string setting) =>
        $"{setting} must be 32 random bytes in base64. Generate one with: openssl rand -base64 32";
}
