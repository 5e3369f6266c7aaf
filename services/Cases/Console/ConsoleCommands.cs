using System.Text;

namespace Closely.Cases.DpoConsole;

/// <summary>
/// The console's enrolment commands, run instead of the service:
/// <list type="bullet">
/// <item><c>hash-password</c> reads a password (typed without echo, or piped on standard input) and prints the hash to
/// put in <c>Console:Users:&lt;name&gt;:PasswordHash</c>. The password never appears in arguments, so it stays out of the
/// shell history and the process list.</item>
/// <item><c>totp-secret &lt;name&gt;</c> prints a new secret for <c>Console:Users:&lt;name&gt;:TotpSecret</c> and the
/// <c>otpauth://</c> URI to add it to an authenticator app (as a QR code, e.g. <c>qrencode -t ansiutf8</c>, or typed in).</item>
/// </list>
/// </summary>
public static class ConsoleCommands
{
    public static bool TryRun(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        switch (args)
        {
            case ["hash-password"]:
                HashPassword();
                return true;
            case ["totp-secret", var name]:
                var secret = TotpCodes.NewSecret();
                System.Console.Out.WriteLine($"Console:Users:{name}:TotpSecret={secret}");
                System.Console.Out.WriteLine(TotpCodes.EnrolmentUri(name, secret));
                return true;
            case ["totp-secret"]:
                System.Console.Error.WriteLine("Name the user: totp-secret <name>");
                Environment.ExitCode = 2;
                return true;
            default:
                return false;
        }
    }

    private static void HashPassword()
    {
        string password;
        if (System.Console.IsInputRedirected)
        {
            password = System.Console.In.ReadLine() ?? "";
        }
        else
        {
            System.Console.Error.Write("Password: ");
            password = ReadHidden();
            System.Console.Error.WriteLine();
        }

        if (password.Length == 0)
        {
            System.Console.Error.WriteLine("No password given.");
            Environment.ExitCode = 2;
            return;
        }

        System.Console.Out.WriteLine(ConsolePasswordHash.Hash(password));
    }

    private static string ReadHidden()
    {
        var password = new StringBuilder();
        while (System.Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                password.Length = Math.Max(0, password.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }

        return password.ToString();
    }
}
