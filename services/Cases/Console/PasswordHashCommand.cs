using System.Text;

namespace Closely.Cases.DpoConsole;

/// <summary>
/// <c>hash-password</c>: reads a password (typed without echo, or piped on standard input) and prints the
/// hash to put in <c>Console:Users:&lt;name&gt;:PasswordHash</c>. The password never appears in arguments,
/// so it stays out of the shell history and the process list.
/// </summary>
public static class PasswordHashCommand
{
    public static bool TryRun(string[] args)
    {
        if (args is not ["hash-password"])
        {
            return false;
        }

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
            return true;
        }

        System.Console.Out.WriteLine(ConsoleUsers.Hash(password));
        return true;
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
