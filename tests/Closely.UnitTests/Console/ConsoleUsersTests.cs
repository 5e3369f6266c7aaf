using System.Buffers.Binary;
using System.Security.Cryptography;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases.DpoConsole;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OtpNet;

namespace Closely.UnitTests.DpoConsole;

public sealed class ConsoleUsersTests
{
    private const string Password = "a long passphrase";
    private const string Secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    // Hashing costs 600,000 PBKDF2 rounds: once per run.
    private static readonly string PasswordHash = ConsolePasswordHash.Hash(Password);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 9, 0, 10, TimeSpan.Zero));
    private readonly ConsoleOptions _options = new();
    private readonly PersonalDataProtector _protector = new(Options.Create(new PrivacyOptions
    {
        EncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        BlindIndexKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    }));

    private readonly ConsoleUsers _users;

    public ConsoleUsersTests()
    {
        var monitor = new StaticMonitor(_options);
        _users = new ConsoleUsers(monitor, new TotpCodes(_clock), new SignInThrottle(monitor, _clock), _protector, _clock);
        _options.Users["Anna"] = new ConsoleUser { PasswordHash = PasswordHash, Role = ConsoleRoles.Dpo, TotpSecret = Secret };
        _options.Users["victor"] = new ConsoleUser { PasswordHash = PasswordHash, Role = ConsoleRoles.Viewer };
    }

    [Fact]
    public void The_right_password_and_code_sign_the_user_in_with_their_role_and_the_configured_spelling_of_their_name()
    {
        var result = _users.SignIn(" anna ", Password, Code());

        Assert.Equal(SignInOutcome.SignedIn, result.Outcome);
        Assert.Equal("Anna", result.Principal?.Identity?.Name);
        Assert.True(result.Principal!.IsInRole(ConsoleRoles.Dpo));
        Assert.False(result.WeakPasswordHash);
        Assert.Equal(_protector.Pseudonym("anna"), result.Account);
        Assert.DoesNotContain("anna", result.Account, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_dpo_is_not_signed_in_by_the_password_alone_nor_with_a_wrong_code()
    {
        Assert.Equal(SignInOutcome.Failed, _users.SignIn("anna", Password, null).Outcome);
        Assert.Equal(SignInOutcome.Failed, _users.SignIn("anna", Password, Code() == "000000" ? "111111" : "000000").Outcome);
        Assert.Equal(SignInOutcome.Failed, _users.SignIn("anna", Password, Code(_clock.GetUtcNow().AddMinutes(-2))).Outcome);
    }

    [Fact]
    public void A_code_is_used_once_and_the_next_one_signs_in_again()
    {
        var code = Code();

        Assert.Equal(SignInOutcome.SignedIn, _users.SignIn("anna", Password, code).Outcome);
        Assert.Equal(SignInOutcome.Failed, _users.SignIn("anna", Password, code).Outcome);
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(SignInOutcome.SignedIn, _users.SignIn("anna", Password, Code()).Outcome);
    }

    [Fact]
    public void A_viewer_without_a_secret_signs_in_with_the_password_and_nobody_with_a_wrong_one_or_an_unknown_name()
    {
        Assert.Equal(SignInOutcome.SignedIn, _users.SignIn("victor", Password, null).Outcome);
        Assert.Equal(SignInOutcome.Failed, _users.SignIn("victor", Password + " ", null).Outcome);
        Assert.Equal(SignInOutcome.Failed, _users.SignIn("bert", Password, Code()).Outcome);
    }

    [Fact]
    public void New_hashes_are_pbkdf2_sha256_with_600000_iterations_and_a_hash_of_the_former_default_still_verifies_flagged_as_weak()
    {
        var header = Convert.FromBase64String(PasswordHash);
        Assert.Equal((1u, 600_000u), (BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1)), BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5))));
        Assert.Equal((true, false), ConsolePasswordHash.Verify(PasswordHash, Password));

        // ASP.NET Core Identity's default until now (PBKDF2-HMAC-SHA512, 100,000 iterations): the former development dpo user.
        const string Former = "AQAAAAIAAYagAAAAEGE+qn8p7bwNZZQJbQnPAaFRlB+MFzQ8eNM0UMSZzZFDhC0xUepXPkhbIUV2iTJlUw==";
        Assert.Equal((true, true), ConsolePasswordHash.Verify(Former, "closely-dpo"));
        Assert.Equal((false, true), ConsolePasswordHash.Verify(Former, "closely-viewer"));
        _options.Users["former"] = new ConsoleUser { PasswordHash = Former, Role = ConsoleRoles.Viewer };
        Assert.True(_users.SignIn("former", "closely-dpo", null).WeakPasswordHash);
    }

    [Fact]
    public void After_the_failures_allowed_the_account_is_refused_even_the_right_credentials_until_the_window_ends()
    {
        _options.SignInFailuresPerAccount = 3;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(SignInOutcome.Failed, _users.SignIn("ANNA", $"guess {i}", null).Outcome);
        }

        Assert.Equal(SignInOutcome.Throttled, _users.SignIn("anna", Password, Code()).Outcome);
        Assert.Equal(SignInOutcome.SignedIn, _users.SignIn("victor", Password, null).Outcome);
        _clock.Advance(_options.SignInFailureWindow);
        Assert.Equal(SignInOutcome.SignedIn, _users.SignIn("anna", Password, Code()).Outcome);
    }

    [Fact]
    public void A_session_ends_when_its_user_is_removed_demoted_or_changes_credentials_and_after_its_absolute_lifetime()
    {
        var principal = _users.SignIn("anna", Password, Code()).Principal!;
        Assert.Null(_users.SessionProblem(principal));

        _clock.Advance(_options.AbsoluteSessionLifetime);
        Assert.Null(_users.SessionProblem(principal));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("the absolute session lifetime passed", _users.SessionProblem(principal));

        principal = _users.SignIn("anna", Password, Code()).Principal!;
        _options.Users["anna"].TotpSecret = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU";
        Assert.Equal("the user's password or authentication secret changed", _users.SessionProblem(principal));
        _options.Users["anna"].Role = ConsoleRoles.Viewer;
        Assert.Equal("the user's role changed", _users.SessionProblem(principal));
        _options.Users.Remove("anna");
        Assert.Equal("the user is no longer configured", _users.SessionProblem(principal));
    }

    [Theory]
    [InlineData("anna", "", "dpo", "", "Console:Users:anna:PasswordHash is empty")]
    [InlineData("anna", "hash", "dpo", Secret, "Console:Users:anna:PasswordHash is not a password hash")]
    [InlineData("anna", null, "admin", "", "Console:Users:anna:Role is 'admin'; it must be 'dpo' or 'viewer'.")]
    [InlineData("anna", null, "dpo", "", "Console:Users:anna:TotpSecret is required for a dpo user; make one with `dotnet run --project services/Cases -- totp-secret anna`.")]
    [InlineData("anna", null, "viewer", "NOT BASE32!", "Console:Users:anna:TotpSecret is not base32 of at least 16 bytes")]
    [InlineData("anna", null, "viewer", "JBSWY3DP", "Console:Users:anna:TotpSecret is not base32 of at least 16 bytes")]
    [InlineData("pii:0a1b2c3d4e5f", null, "viewer", "", "Console:Users:pii:0a1b2c3d4e5f: a user name may not start with 'pii:'")]
    public void A_user_the_console_cannot_sign_in_safely_is_named_in_the_start_up_error(string name, string? hash, string role, string secret, string expected)
    {
        var options = new ConsoleOptions();
        options.Users[name] = new ConsoleUser { PasswordHash = hash ?? PasswordHash, Role = role, TotpSecret = secret };

        Assert.StartsWith(expected, ConsoleRoles.Problem(options), StringComparison.Ordinal);
    }

    [Fact]
    public void A_dpo_with_a_secret_and_a_viewer_without_one_are_valid()
    {
        Assert.Null(ConsoleRoles.Problem(_options));
    }

    private string Code(DateTimeOffset? at = null) => new Totp(Base32Encoding.ToBytes(Secret)).ComputeTotp((at ?? _clock.GetUtcNow()).UtcDateTime);

    private sealed class StaticMonitor(ConsoleOptions value) : IOptionsMonitor<ConsoleOptions>
    {
        public ConsoleOptions CurrentValue => value;

        public ConsoleOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ConsoleOptions, string?> listener) => null;
    }
}
