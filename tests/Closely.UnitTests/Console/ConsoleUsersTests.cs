using Closely.Cases.DpoConsole;
using Microsoft.Extensions.Options;

namespace Closely.UnitTests.DpoConsole;

public sealed class ConsoleUsersTests
{
    private static ConsoleUsers UsersWith(string name, string password, string role)
    {
        var options = new ConsoleOptions();
        options.Users[name] = new ConsoleUser { PasswordHash = ConsoleUsers.Hash(password), Role = role };
        return new ConsoleUsers(new StaticMonitor(options));
    }

    [Fact]
    public void The_right_password_signs_the_user_in_with_their_role_and_the_configured_spelling_of_their_name()
    {
        var principal = UsersWith("Anna", "a long passphrase", ConsoleRoles.Dpo).SignIn(" anna ", "a long passphrase");

        Assert.Equal("Anna", principal?.Identity?.Name);
        Assert.True(principal!.Identity!.IsAuthenticated);
        Assert.True(principal.IsInRole(ConsoleRoles.Dpo));
    }

    [Fact]
    public void A_wrong_password_or_an_unknown_name_signs_nobody_in()
    {
        var users = UsersWith("anna", "a long passphrase", ConsoleRoles.Viewer);

        Assert.Null(users.SignIn("anna", "a long passphrase "));
        Assert.Null(users.SignIn("bert", "a long passphrase"));
    }

    [Theory]
    [InlineData("", "dpo", "Console:Users:anna:PasswordHash is empty")]
    [InlineData("hash", "admin", "Console:Users:anna:Role is 'admin'; it must be 'dpo' or 'viewer'.")]
    public void A_user_without_a_hash_or_with_an_unknown_role_is_named_in_the_start_up_error(string hash, string role, string expected)
    {
        var options = new ConsoleOptions();
        options.Users["anna"] = new ConsoleUser { PasswordHash = hash, Role = role };

        Assert.StartsWith(expected, ConsoleRoles.Problem(options), StringComparison.Ordinal);
    }

    private sealed class StaticMonitor(ConsoleOptions value) : IOptionsMonitor<ConsoleOptions>
    {
        public ConsoleOptions CurrentValue => value;

        public ConsoleOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ConsoleOptions, string?> listener) => null;
    }
}
