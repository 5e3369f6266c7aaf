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
}
