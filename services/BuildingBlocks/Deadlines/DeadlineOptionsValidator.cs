using Microsoft.Extensions.Options;

namespace Closely.BuildingBlocks.Deadlines;

/// <summary>
/// Start-up validation of <see cref="DeadlineOptions"/>: the time zone must be known to the system, the
/// internal target days must not be negative, and every extra holiday must be well formed. Each failure
/// names the offending value.
/// </summary>
internal sealed class DeadlineOptionsValidator : IValidateOptions<DeadlineOptions>
{
    public ValidateOptionsResult Validate(string? name, DeadlineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        var problems = DeadlineSettingFormats.Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
