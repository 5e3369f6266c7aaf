namespace Closely.Notification.Email;

public sealed record RenderedEmail(string Subject, string Body);
