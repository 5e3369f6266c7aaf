using System.Diagnostics;
using Closely.BuildingBlocks.Hosting;
using Closely.Intake.Requests;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace Closely.Intake.Mailbox;

/// <summary>What one pass over the mailbox did.</summary>
public sealed record MailboxPollResult(int Cases, int Duplicates, int Ignored, int Failed);

/// <summary>
/// Polls the privacy mailbox every <see cref="MailboxOptions.PollInterval"/>: each mail in the folder becomes a
/// case through <see cref="RequestStore"/> (a Message-ID seen before is not stored again) and is moved to the
/// processed folder; bounces, auto-replies and mail without a sender address are moved to the ignored folder.
/// A mail that fails stays in the folder and is tried again on the next pass. Storing comes before moving, so a
/// crash in between at worst polls the mail again, and the Message-ID makes that harmless. Logs carry case ids,
/// references, counts and the hash of the Message-ID, never an address, a subject or a body.
/// </summary>
public sealed partial class MailboxPoller(
    IServiceScopeFactory scopes,
    IOptions<MailboxOptions> options,
    IOptions<IntakeOptions> intake,
    TimeProvider clock,
    ILogger<MailboxPoller> logger) : PeriodicBackgroundService(options.Value.PollInterval, clock)
{
    private static readonly ActivitySource ActivitySource = new(Microsoft.Extensions.Hosting.Extensions.TelemetrySourceName);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>One pass over the mailbox; passes never overlap within one instance.</summary>
    public async Task<MailboxPollResult> PollOnceAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var activity = ActivitySource.StartActivity("intake mailbox poll");
            var settings = options.Value;
            using var client = new ImapClient();
            await client.ConnectAsync(settings.Host!, settings.Port, SocketOptions(settings), cancellationToken);
            await client.AuthenticateAsync(settings.Username, settings.Password, cancellationToken);
            var folder = await client.GetFolderAsync(settings.Folder, cancellationToken);
            await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
            var processed = await FolderAsync(client, settings.ProcessedFolder, cancellationToken);
            var ignored = await FolderAsync(client, settings.IgnoredFolder, cancellationToken);

            var result = new MailboxPollResult(0, 0, 0, 0);
            foreach (var uid in await folder.SearchAsync(SearchQuery.NotDeleted, cancellationToken))
            {
                result = await ProcessAsync(folder, uid, processed, ignored, result, cancellationToken);
            }

            await client.DisconnectAsync(true, cancellationToken);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        var result = await PollOnceAsync(cancellationToken);
        if (result != new MailboxPollResult(0, 0, 0, 0))
        {
            LogPolled(result.Cases, result.Duplicates, result.Ignored, result.Failed);
        }
    }

    /// <summary>Connection and login problems: the next pass tries again.</summary>
    protected override void OnPassFailed(Exception exception) => LogPollFailed(exception);

    private async Task<MailboxPollResult> ProcessAsync(
        IMailFolder folder,
        UniqueId uid,
        IMailFolder processed,
        IMailFolder ignored,
        MailboxPollResult result,
        CancellationToken cancellationToken)
    {
        MailReading reading;
        try
        {
            // The statutory clock starts when the mail reached the mailbox, not when it is polled.
            var arrival = await folder.FetchAsync([uid], MessageSummaryItems.InternalDate, cancellationToken);
            using var message = await folder.GetMessageAsync(uid, cancellationToken);
            reading = MailRequests.Read(message, intake.Value.PlatformDomains, arrival.FirstOrDefault()?.InternalDate);
        }
        catch (MessageNotFoundException)
        {
            // Another instance took it between the search and the fetch.
            return result;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The exception's message could quote the mail; its type is enough to start looking.
            LogMailFailed(uid.Id, exception.GetType().Name);
            return result with { Failed = result.Failed + 1 };
        }

        var hash = Convert.ToHexStringLower(reading.MessageIdHash);
        try
        {
            if (reading.Request is null)
            {
                await folder.MoveToAsync(uid, ignored, cancellationToken);
                LogIgnored(hash, reading.IgnoredBecause!);
                return result with { Ignored = result.Ignored + 1 };
            }

            await using var scope = scopes.CreateAsyncScope();
            var stored = await scope.ServiceProvider.GetRequiredService<RequestStore>().StoreAsync(reading.Request, cancellationToken);
            await folder.MoveToAsync(uid, processed, cancellationToken);
            if (stored.Duplicate)
            {
                LogDuplicate(stored.Id, stored.Reference, hash);
                return result with { Duplicates = result.Duplicates + 1 };
            }

            LogCase(stored.Id, stored.Reference, stored.Right, reading.Request.NeedsTriage, reading.Request.ClassificationConfidence,
                reading.AttachmentsLeftOut, hash);
            return result with { Cases = result.Cases + 1 };
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogMailFailed(uid.Id, exception.GetType().Name);
            return result with { Failed = result.Failed + 1 };
        }
    }

    /// <summary>The folder by its full name, created at the top level when it does not exist.</summary>
    private static async Task<IMailFolder> FolderAsync(ImapClient client, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetFolderAsync(name, cancellationToken);
        }
        catch (FolderNotFoundException)
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            return await root.CreateAsync(name, isMessageFolder: true, cancellationToken)
                ?? throw new InvalidOperationException($"The IMAP server did not create the folder {name}.");
        }
    }

    private static SecureSocketOptions SocketOptions(MailboxOptions settings) => settings switch
    {
        { UseTls: false } => SecureSocketOptions.None,
        { Port: 993 } => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Mailbox: case {CaseId} ({Reference}) opened as {Right}, needs triage {NeedsTriage}, confidence {Confidence}, {LeftOut} attachment(s) not kept, message {MessageIdHash}")]
    private partial void LogCase(Guid caseId, string reference, Closely.Contracts.DataSubjectRight right, bool needsTriage, double? confidence, int leftOut, string messageIdHash);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mailbox: message {MessageIdHash} is case {CaseId} ({Reference}) already")]
    private partial void LogDuplicate(Guid caseId, string reference, string messageIdHash);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mailbox: message {MessageIdHash} ignored: {Reason}")]
    private partial void LogIgnored(string messageIdHash, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mailbox: mail with IMAP UID {Uid} failed ({ExceptionType}); it stays in the folder for the next pass")]
    private partial void LogMailFailed(uint uid, string exceptionType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mailbox: {Cases} new case(s), {Duplicates} duplicate(s), {Ignored} ignored, {Failed} failed")]
    private partial void LogPolled(int cases, int duplicates, int ignored, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mailbox: polling failed; trying again on the next pass")]
    private partial void LogPollFailed(Exception exception);
}
