using Closely.AppHost.LocalServers;
using Microsoft.Extensions.Hosting;

namespace Closely.AppHost;

/// <summary>Settings of single services that come from the model: their own URL, the mailbox, the audit keys, console users.</summary>
internal static class ServiceExtensions
{
    /// <summary>The URL the service is reached at, for the links it puts in emails and answers.</summary>
    public static IResourceBuilder<ProjectResource> WithPublicBaseUrl(this IResourceBuilder<ProjectResource> service, string key) =>
        service.WithEnvironment(key, service.GetEndpoint("http"));

    /// <summary>
    /// DataLocator's access and portability packages: the package store beside the servers' data, the download links it
    /// serves signed with the verification links' key (under a text of their own, ADR 24), and the privacy centre an
    /// expired link sends people back to.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPackages(
        this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<ParameterResource> linkSigningKey,
        string directory,
        IResourceBuilder<ProjectResource> privacyCentre) => service
        .WithPublicBaseUrl("Packages__PublicBaseUrl")
        .WithEnvironment("Packages__LinkSigningKey", linkSigningKey)
        .WithEnvironment("Packages__Directory", directory)
        .WithEnvironment("Packages__PrivacyCentreUrl", privacyCentre.GetEndpoint("http"));

    /// <summary>Intake's mailbox poller reads the privacy mailbox (plain IMAP on loopback).</summary>
    public static IResourceBuilder<ProjectResource> WithMailbox(this IResourceBuilder<ProjectResource> service, IResourceBuilder<LocalDovecotResource> mailbox) => service
        .WithEnvironment("Imap__Host", mailbox.Resource.Imap.Property(EndpointProperty.IPV4Host))
        .WithEnvironment("Imap__Port", mailbox.Resource.Imap.Property(EndpointProperty.Port))
        .WithEnvironment("Imap__UseTls", "false")
        .WithEnvironment("Imap__Username", LocalDovecotResource.UserName)
        .WithEnvironment("Imap__Password", ReferenceExpression.Create($"{mailbox.Resource.Password}"))
        .WaitFor(mailbox);

    /// <summary>
    /// Cases keys its audit chain and signs the chain's anchors with these keys, and appends the anchors to
    /// <c>audit-anchors.jsonl</c> in <paramref name="anchorDirectory"/>, a folder outside the database (ADR 16).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAuditKeys(
        this IResourceBuilder<ProjectResource> service,
        IResourceBuilder<ParameterResource> chainKey,
        IResourceBuilder<ParameterResource> anchorSigningKey,
        string anchorDirectory) => service
        .WithEnvironment("Audit__ChainKey", chainKey)
        .WithEnvironment("Audit__AnchorSigningKey", anchorSigningKey)
        .WithEnvironment("Audit__AnchorDirectory", anchorDirectory);

    /// <summary>
    /// In Development the console's users come from appsettings.Development.json (dpo and viewer). In any
    /// other environment its only user is <c>dpo</c>, whose password hash and TOTP secret are the parameters
    /// <c>console-dpo-password-hash</c> (<c>dotnet run --project services/Cases -- hash-password</c>) and
    /// <c>console-dpo-totp-secret</c> (<c>dotnet run --project services/Cases -- totp-secret dpo</c>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithConsoleUsers(this IResourceBuilder<ProjectResource> service, IDistributedApplicationBuilder builder)
    {
        if (builder.Environment.IsDevelopment())
        {
            return service;
        }

        var dpoPasswordHash = builder.AddParameter("console-dpo-password-hash", secret: true);
        var dpoTotpSecret = builder.AddParameter("console-dpo-totp-secret", secret: true);
        return service
            .WithEnvironment("Console__Users__dpo__PasswordHash", dpoPasswordHash)
            .WithEnvironment("Console__Users__dpo__TotpSecret", dpoTotpSecret)
            .WithEnvironment("Console__Users__dpo__Role", "dpo");
    }
}
