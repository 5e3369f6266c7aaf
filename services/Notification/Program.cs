using Closely.BuildingBlocks.Persistence;
using Closely.Notification;
using Closely.Notification.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNotificationServices();

var app = builder.Build();

app.MapDefaultEndpoints();

await app.RunOrMigrateAsync<NotificationDbContext>(args);
