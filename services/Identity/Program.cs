using Closely.BuildingBlocks.Persistence;
using Closely.Identity;
using Closely.Identity.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIdentityServices();

var app = builder.Build();

app.MapDefaultEndpoints();

await app.RunOrMigrateAsync<IdentityDbContext>(args);
